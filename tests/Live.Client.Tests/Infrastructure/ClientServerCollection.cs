namespace Live.Client.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ClientServerCollection : ICollectionFixture<ClientServerFixture>
{
    public const string Name = "client against a real server";
}
