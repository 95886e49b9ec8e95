using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Live.Testing;

/// <summary>A REST answer's JSON body, or an exception carrying the status and body of a refusal.</summary>
public static class HttpJson
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static async Task<T> ReadAsync<T>(this Task<HttpResponseMessage> call) => await (await call).ReadAsync<T>();

    /// <summary>Asserts a refusal: this status, problem details whose <c>type</c> is the protocol's <paramref name="code"/>.</summary>
    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, ProtocolError.ProblemType(body));
    }

    public static async Task AssertProblemAsync(this Task<HttpResponseMessage> call, HttpStatusCode status, string code) =>
        await (await call).AssertProblemAsync(status, code);
}
