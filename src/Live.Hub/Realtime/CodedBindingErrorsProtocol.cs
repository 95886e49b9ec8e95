using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Live.Contracts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Live.Hub.Realtime;

/// <summary>
/// Wraps a hub protocol (JSON, MessagePack) so that arguments which do not bind — a number where a string belongs,
/// a missing argument, an object for a count — are refused like any other bad input: with a <c>HubException</c>
/// whose message starts with <c>invalid_argument:</c>, instead of SignalR's uncoded "Error binding arguments".
/// </summary>
internal sealed class CodedBindingErrorsProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure)
        {
            var coded = new HubException(
                $"{ErrorCodes.InvalidArgument}: the arguments of {failure.Target} do not have the types of PROTOCOL.md");
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(coded));
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
}

internal static class CodedBindingErrorsExtensions
{
    /// <summary>Decorates every hub protocol registered so far.</summary>
    public static IServiceCollection AddCodedBindingErrors(this IServiceCollection services)
    {
        var registered = services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType is not null).ToList();
        foreach (var descriptor in registered)
        {
            services.Remove(descriptor);
            var implementation = descriptor.ImplementationType!;
            services.AddSingleton<IHubProtocol>(sp =>
                new CodedBindingErrorsProtocol((IHubProtocol)ActivatorUtilities.CreateInstance(sp, implementation)));
        }

        return services;
    }
}
