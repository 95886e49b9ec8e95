using Live.Hosting;
using Live.Hub;

PooledBuffers.Configure();
var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:5080");
builder.AddLiveHub();

var app = builder.Build();
app.MapLiveHub();
app.Run();

/// <summary>The hub server's entry point; public for <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
