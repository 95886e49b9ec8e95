using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Api;

/// <summary>How large a REST request body may be (the API's bodies are small JSON documents).</summary>
public sealed class RestBodyOptions
{
    public const string SectionName = "Api";

    /// <summary>Bytes; a larger body is refused (413) before it is read, and only after the caller is authorized.</summary>
    [Range(256, 10 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024;
}
