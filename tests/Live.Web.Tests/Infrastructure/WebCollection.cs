namespace Live.Web.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "browser and server";
}
