using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using EvalKit.Reporting;
using EvalKit.Tests.Experiments;

namespace EvalKit.Tests.Reporting;

public sealed class JUnitReportTests
{
    /// <summary>The shape CI systems read (the Ant / Jenkins / Surefire JUnit report), written down for this test.</summary>
    private const string Schema = """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
          <xs:simpleType name="count"><xs:restriction base="xs:int"><xs:minInclusive value="0"/></xs:restriction></xs:simpleType>
          <xs:simpleType name="seconds"><xs:restriction base="xs:decimal"><xs:minInclusive value="0"/></xs:restriction></xs:simpleType>
          <xs:complexType name="problem">
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="message" type="xs:string"/>
                <xs:attribute name="type" type="xs:string" use="required"/>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
          <xs:element name="testsuites">
            <xs:complexType>
              <xs:sequence><xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
              <xs:attribute name="name" type="xs:string"/>
              <xs:attribute name="tests" type="count"/>
              <xs:attribute name="failures" type="count"/>
              <xs:attribute name="errors" type="count"/>
              <xs:attribute name="skipped" type="count"/>
              <xs:attribute name="time" type="seconds"/>
            </xs:complexType>
          </xs:element>
          <xs:element name="testsuite">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="properties" minOccurs="0">
                  <xs:complexType>
                    <xs:sequence>
                      <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
                        <xs:complexType>
                          <xs:attribute name="name" use="required"><xs:simpleType><xs:restriction base="xs:string"><xs:minLength value="1"/></xs:restriction></xs:simpleType></xs:attribute>
                          <xs:attribute name="value" type="xs:string" use="required"/>
                        </xs:complexType>
                      </xs:element>
                    </xs:sequence>
                  </xs:complexType>
                </xs:element>
                <xs:element name="testcase" minOccurs="0" maxOccurs="unbounded">
                  <xs:complexType>
                    <xs:choice minOccurs="0">
                      <xs:element name="skipped"><xs:complexType><xs:attribute name="message" type="xs:string"/></xs:complexType></xs:element>
                      <xs:element name="error" type="problem"/>
                      <xs:element name="failure" type="problem"/>
                    </xs:choice>
                    <xs:attribute name="name" type="xs:string" use="required"/>
                    <xs:attribute name="classname" type="xs:string" use="required"/>
                    <xs:attribute name="time" type="seconds" use="required"/>
                  </xs:complexType>
                </xs:element>
                <xs:element name="system-out" type="xs:string" minOccurs="0"/>
                <xs:element name="system-err" type="xs:string" minOccurs="0"/>
              </xs:sequence>
              <xs:attribute name="name" use="required"><xs:simpleType><xs:restriction base="xs:string"><xs:minLength value="1"/></xs:restriction></xs:simpleType></xs:attribute>
              <xs:attribute name="tests" type="count" use="required"/>
              <xs:attribute name="failures" type="count" use="required"/>
              <xs:attribute name="errors" type="count" use="required"/>
              <xs:attribute name="skipped" type="count"/>
              <xs:attribute name="time" type="seconds" use="required"/>
              <xs:attribute name="timestamp" use="required">
                <xs:simpleType><xs:restriction base="xs:dateTime"><xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"/></xs:restriction></xs:simpleType>
              </xs:attribute>
              <xs:attribute name="hostname" type="xs:string" use="required"/>
              <xs:attribute name="id" type="count"/>
              <xs:attribute name="package" type="xs:string"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>
        """;

    private static XDocument Validate(byte[] xml)
    {
        var schemas = new XmlSchemaSet();
        using (var reader = XmlReader.Create(new StringReader(Schema)))
        {
            schemas.Add(null, reader);
        }

        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"line {e.Exception.LineNumber}: {e.Message}");
        using var stream = new MemoryStream(xml);
        using var validating = XmlReader.Create(stream, settings);
        var document = XDocument.Load(validating);
        errors.Should().BeEmpty();
        return document;
    }

    [Fact]
    public async Task Export_IsValidJUnit_OneTestCasePerEvalCase_FailuresAndErrorsCounted()
    {
        await using var scenario = await ReportScenario.CreateAsync();

        var xml = await scenario.ExportAsync(ReportFormat.JUnit);

        Encoding.UTF8.GetString(xml).Should().StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        var document = Validate(xml);
        var root = document.Root!;
        root.Name.LocalName.Should().Be("testsuites");
        root.Attribute("name")!.Value.Should().Be(ReportScenario.HostileTitle);
        var suites = root.Elements("testsuite").ToList();
        suites.Select(s => s.Attribute("name")!.Value).Should().Equal(ExperimentKit.A, ExperimentKit.B, ReportScenario.HostileLabel);
        suites.Should().OnlyContain(s => s.Elements("testcase").Count() == ReportScenario.Cases && s.Attribute("tests")!.Value == "24");
        (int Failures, int Errors) Count(XElement suite) => (suite.Elements("testcase").Count(c => c.Element("failure") is not null), suite.Elements("testcase").Count(c => c.Element("error") is not null));
        Count(suites[0]).Should().Be((4, 0));   // A: wrong on i % 6 == 0
        Count(suites[1]).Should().Be((8, 0));   // B: wrong on i % 3 == 0
        Count(suites[2]).Should().Be((5, 1));   // C: a hostile answer on i % 4 == 1, a refused call on case 5
        suites[2].Attribute("failures")!.Value.Should().Be("5");
        suites[2].Attribute("errors")!.Value.Should().Be("1");
        root.Attribute("tests")!.Value.Should().Be("72");
        root.Attribute("failures")!.Value.Should().Be("17");
        root.Attribute("errors")!.Value.Should().Be("1");

        var refused = suites[2].Elements("testcase").Single(c => c.Attribute("name")!.Value == "case-5").Element("error")!;
        refused.Attribute("type")!.Value.Should().Be("ContentFilter");
        refused.Attribute("message")!.Value.Should().Be("every call failed: ContentFilter: refused: " + ReportScenario.ScriptInjection);
        var wrong = suites[1].Elements("testcase").Single(c => c.Attribute("name")!.Value == ReportScenario.HostileId);
        wrong.Attribute("classname")!.Value.Should().Be(ExperimentKit.B);
        wrong.Element("failure")!.Attribute("type")!.Value.Should().Be("incorrect");
        wrong.Element("failure")!.Attribute("message")!.Value.Should().Be("exact_match = 0.0000 < 0.5");
        wrong.Element("failure")!.Value.Should().Contain("expected: 6").And.Contain("answer: 7");
        var hostile = suites[2].Elements("testcase").Single(c => c.Attribute("name")!.Value == "case-9").Element("failure")!.Value;
        hostile.Should().Contain("</details><script>alert('answer')</script>\uFFFD\uFFFD[31m", "text XML cannot hold becomes U+FFFD; the rest is escaped by the writer");
        suites[0].Element("properties")!.Elements("property").Should().Contain(p => p.Attribute("name")!.Value == "evalkit.metric.exact_match.mean" && p.Attribute("value")!.Value == "0.8333");
    }

    [Fact]
    public void Clean_KeepsWhatXmlAllowsAndReplacesTheRest()
    {
        JUnitReport.Clean("a\tb\nc\rd\u0000e\u0008f\uFFFEg\ud83d\ude00h\ud800i").Should().Be("a\tb\nc\rd\uFFFDe\uFFFDf\uFFFDg\ud83d\ude00h\uFFFDi");
    }
}
