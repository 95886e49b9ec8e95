using System.Net.Http.Json;

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
}
