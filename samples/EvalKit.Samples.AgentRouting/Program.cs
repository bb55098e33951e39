using EvalKit.Samples.AgentRouting;

// The routing sample: `dotnet run --project samples/EvalKit.Samples.AgentRouting`.
// Registers and evaluates four local models, then routes an agent's requests through an IChatClient pipeline built with
// UseModelSelection and prints, per request, the model that answered and why. Offline, in memory, on a simulated clock.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await AgentRouting.RunAsync(Console.Out, cancellation.Token);
