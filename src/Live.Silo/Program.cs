using Live.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultUrls("http://127.0.0.1:8081");
builder.AddLiveSilo();
builder.AddLiveTelemetry("redlive-silo");
builder.Services.AddSingleton<SiloHealthCheck>();
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");

var app = builder.Build();
app.MapLiveOperations(hostsSilo: true);
app.Run();
