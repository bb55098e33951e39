using EvalKit.Samples.WebApi;

// The REST host: `dotnet run --project samples/EvalKit.Samples.WebApi`, then see README.md for curl examples.
// Configuration: appsettings.json (storage, limits, fake models) and appsettings.Development.json (development API keys).
var app = WebApiApp.Build(new WebApplicationOptions { Args = args });
await app.RunAsync();
