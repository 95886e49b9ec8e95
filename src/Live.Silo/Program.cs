using Live.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddLiveSilo();
builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");

var app = builder.Build();
app.MapHealthChecks("/health");
app.Run();
