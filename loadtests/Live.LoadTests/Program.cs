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
return await root.Parse(args).InvokeAsync();
