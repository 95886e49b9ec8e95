using System.Net;
using System.Text.Json;
using Xunit;

namespace Live.Testing;

/// <summary>Assertions on the REST API's refusals: problem details whose <c>type</c> is the protocol's code.</summary>
public static class Problems
{
    /// <summary>Asserts <paramref name="response"/> is a <paramref name="status"/> problem with <paramref name="code"/> and a detail; answers the detail.</summary>
    public static async Task<string> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, ProtocolError.ProblemType(body));
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrEmpty(detail));
        return detail;
    }
}
