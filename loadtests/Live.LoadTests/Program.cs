using System.CommandLine;
using Live.LoadTests;

var root = new RootCommand("RedLive load tests: named scenarios against RedLive (and a bare SignalR baseline) over real SignalR clients.");
LoadTestCommand.Configure(root);
return await root.Parse(args).InvokeAsync();
