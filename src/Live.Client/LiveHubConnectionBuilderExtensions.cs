using Live.Client.Protocol;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Client;

public static class LiveHubConnectionBuilderExtensions
{
    /// <summary>
    /// SignalR's MessagePack protocol with RedLive's field names (<see cref="LiveMessagePack"/>): what RedLive's hub
    /// speaks as <c>messagepack</c>. A plain <c>AddMessagePackProtocol()</c> would look for C# names and read nothing.
    /// </summary>
    public static IHubConnectionBuilder AddLiveMessagePackProtocol(this IHubConnectionBuilder builder) =>
        builder.AddMessagePackProtocol(o => o.SerializerOptions = LiveMessagePack.Options);
}
