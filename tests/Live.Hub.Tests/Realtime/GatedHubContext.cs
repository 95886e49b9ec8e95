using System.Reflection;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Tests.Realtime;

/// <summary>
/// A hub context whose every send (to any group, connection or user, of any event) is recorded and completes only when
/// <see cref="Open"/> is called: a backplane publish that has not gone out yet.
/// </summary>
internal sealed class GatedHubContext : IHubContext<LiveHub, ILiveClient>
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _open;

    public GatedHubContext()
    {
        var client = DispatchProxy.Create<ILiveClient, Proxy>();
        ((Proxy)(object)client).Send = Record;
        var clients = DispatchProxy.Create<IHubClients<ILiveClient>, Proxy>();
        ((Proxy)(object)clients).Route = () => client;
        Clients = clients;
    }

    public IHubClients<ILiveClient> Clients { get; }

    public IGroupManager Groups => throw new NotSupportedException("not used by the observer's sends");

    public List<string> Sent { get; } = [];

    public int SentCount
    {
        get
        {
            lock (_lock)
            {
                return Sent.Count;
            }
        }
    }

    /// <summary>Completes the sends waiting now; later ones wait for the next <see cref="Open"/>.</summary>
    public void Open()
    {
        TaskCompletionSource gate;
        lock (_lock)
        {
            gate = _gate;
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        gate.SetResult();
    }

    /// <summary>Completes the sends waiting now and every later one at once.</summary>
    public void OpenForGood()
    {
        lock (_lock)
        {
            _open = true;
        }

        Open();
    }

    private Task Record(string method)
    {
        lock (_lock)
        {
            Sent.Add(method);
            return _open ? Task.CompletedTask : _gate.Task;
        }
    }

    /// <summary>Stands in for the typed client (every method a send) and for the clients (every method a route to it).</summary>
    public class Proxy : DispatchProxy
    {
        public Func<string, Task>? Send { get; set; }

        public Func<object>? Route { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            Route is { } route ? route() : Send!(targetMethod!.Name);
    }
}
