using System.CommandLine;
using Live.Hosting;
using Live.LoadTests;

// Before anything rents a buffer (the runtime reads the setting once): the clients here, and a RedLive server run by
// `serve`, take thousands of frames at once; see PooledBuffers. The bare SignalR baseline runs with the runtime's
// default pool, as a plain SignalR app does, also when it inherits the setting from this tool.
if (LoadTestCommand.ServesBare(args))
{
    Environment.SetEnvironmentVariable(PooledBuffers.Variable, null);
}
else
{
    PooledBuffers.Configure();
}

var root = new RootCommand("RedLive load tests: named scenarios against RedLive (and a bare SignalR baseline) over real SignalR clients.");
LoadTestCommand.Configure(root);

// System.CommandLine ends the process 2 s after SIGTERM or Ctrl+C by default. The `serve` child stops in order on
// SIGTERM (the resume scenario's --graceful: the web host, then the silo, whose rooms hand their retained window on),
// which can take longer on a loaded machine: cut short, the rooms are never deactivated and their windows are lost.
// The tool itself kills a child still running a minute after its SIGTERM.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(45) });
