using Live.Hub;

var builder = WebApplication.CreateBuilder(args);
builder.AddLiveHub();

var app = builder.Build();
app.MapLiveHub();
app.Run();

/// <summary>The hub server's entry point; public for <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
