using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Live.HostConsole;

/// <summary>The REST calls a host makes. Each answers the parsed value and the body as the server sent it.</summary>
public sealed class RedLiveApi(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RedLiveApi Create(Uri server, string? token, HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = server;
        http.Timeout = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrEmpty(token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return new RedLiveApi(http);
    }

    public Task<(T Value, string Body)> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return SendAsync<T>(request, cancellationToken);
    }

    private async Task<(T Value, string Body)> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ToException(response, text);
            }

            var value = JsonSerializer.Deserialize<T>(text, Json)
                ?? throw new RedLiveApiException("invalid_response", $"{request.Method} {request.RequestUri} answered no body", (int)response.StatusCode);
            return (value, text);
        }
    }

    private static RedLiveApiException ToException(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        Problem? problem = null;
        try
        {
            problem = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<Problem>(text, Json);
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, say): report the status line below.
        }

        var code = string.IsNullOrEmpty(problem?.Type) ? $"http_{status}" : problem.Type;
        var detail = problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "request failed";
        return new RedLiveApiException(code, detail, status);
    }

    public void Dispose() => http.Dispose();
}
