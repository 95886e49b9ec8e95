using System.Net.Http.Headers;

namespace Live.Testing;

/// <summary>An <see cref="HttpClient"/> for a RedLive server that sends a bearer token when there is one.</summary>
public static class BearerClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <param name="baseUri">The server's address.</param>
    /// <param name="token">The bearer token; none when null (an anonymous caller).</param>
    /// <param name="handler">The handler to send with (disposed with the client); the default one when null.</param>
    /// <param name="timeout">Per request; 30 s when null.</param>
    public static HttpClient Create(Uri baseUri, string? token, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: true);
        client.BaseAddress = baseUri;
        client.Timeout = timeout ?? DefaultTimeout;
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
