using System.Collections.Frozen;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Delivery;

/// <summary>Reads back an invocation of an <see cref="ILiveClient"/> event: its arguments' types are the method's parameters.</summary>
internal sealed class LiveClientBinder : IInvocationBinder
{
    public static readonly LiveClientBinder Instance = new();

    private static readonly FrozenDictionary<string, Type[]> Parameters = typeof(ILiveClient).GetMethods()
        .ToFrozenDictionary(m => m.Name, m => m.GetParameters().Select(p => p.ParameterType).ToArray(), StringComparer.Ordinal);

    public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
        Parameters.TryGetValue(methodName, out var types) ? types : throw new InvalidOperationException($"unknown event {methodName}");

    public Type GetReturnType(string invocationId) => throw new NotSupportedException("room events have no results");

    public Type GetStreamItemType(string streamId) => throw new NotSupportedException("room events are not streams");
}
