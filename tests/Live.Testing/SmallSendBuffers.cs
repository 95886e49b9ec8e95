using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Live.Testing;

/// <summary>
/// Loopback TCP grows a socket's send buffer to megabytes, which would take a stalled client's frames for it. A fixed
/// send buffer on the listening socket (accepted sockets inherit it) keeps the kernel's share small, as a real
/// network's would be, so a stall shows in hundreds of kilobytes, not tens of megabytes. Pass as
/// <see cref="LiveServer.StartAsync"/>'s <c>configure</c>.
/// </summary>
public static class SmallSendBuffers
{
    public static void Apply(WebApplicationBuilder builder) =>
        builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 16 * 1024;
            return socket;
        });
}
