using Live.Contracts;
using Live.Contracts.Catalog;
using Microsoft.Extensions.Options;

namespace Live.Grains.Catalog;

internal sealed class ProductGrain(
    [PersistentState(StateNames.Product, StorageNames.Live)] IPersistentState<ProductState> state,
    IOptions<CatalogOptions> options) : Grain, IProductGrain
{
    private const int MaxTags = 20;

    async Task<Product> IProductGrain.CreateAsync(string ownerId, NewProduct input)
    {
        if (state.State.Product is not null)
        {
            throw LiveException.Conflict($"product {this.GetPrimaryKeyString()} already exists");
        }

        ArgumentNullException.ThrowIfNull(input);
        var name = TextRules.Require(input.Name, "name", 200);
        var brand = TextRules.Require(input.Brand, "brand", 100);
        Money.RequirePrice(input.Price);
        var currency = Money.NormalizeCurrency(input.Currency);
        var imageUrl = TextRules.Optional(input.ImageUrl, "imageUrl", 2000);
        if (imageUrl is not null
            && (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw LiveException.Invalid("imageUrl must be an absolute http or https URL");
        }

        var tags = input.Tags ?? [];
        if (tags.Count > MaxTags)
        {
            throw LiveException.Invalid($"at most {MaxTags} tags");
        }

        var cleanTags = tags.Select(t => TextRules.Require(t, "tag", 30)).Distinct(StringComparer.Ordinal).ToArray();
        if (input.Stock is < 0 or > 100_000_000)
        {
            throw LiveException.Invalid("stock must be 0 to 100000000");
        }

        var product = new Product
        {
            Id = this.GetPrimaryKeyString(),
            Name = name,
            Brand = brand,
            Price = input.Price,
            Currency = currency,
            ImageUrl = imageUrl,
            Tags = cleanTags,
            Verified = options.Value.LicensedBrands.Contains(brand, StringComparer.OrdinalIgnoreCase),
            Stock = input.Stock,
        };
        state.State.Product = product;
        state.State.OwnerId = ownerId;
        await state.WriteStateAsync();
        return product;
    }

    Task<Product> IProductGrain.GetAsync() => Task.FromResult(Current);

    async Task<bool> IProductGrain.TryReserveAsync(string reservationId, int quantity)
    {
        var product = Current;
        if (quantity <= 0)
        {
            throw LiveException.Invalid("quantity must be positive");
        }

        if (state.State.Reservations.ContainsKey(reservationId))
        {
            return true;
        }

        if (product.Stock is { } stock)
        {
            if (stock < quantity)
            {
                return false;
            }

            state.State.Product = product with { Stock = stock - quantity };
        }

        state.State.Reservations[reservationId] = quantity;
        await state.WriteStateAsync();
        return true;
    }

    async Task IProductGrain.ReleaseAsync(string reservationId, int quantity)
    {
        var product = Current;
        if (!state.State.Reservations.TryGetValue(reservationId, out var held) || !state.State.Released.Add(reservationId))
        {
            return;
        }

        if (product.Stock is { } stock)
        {
            state.State.Product = product with { Stock = stock + Math.Clamp(quantity, 0, held) };
        }

        await state.WriteStateAsync();
    }

    private Product Current =>
        state.State.Product ?? throw LiveException.NotFound($"product {this.GetPrimaryKeyString()} not found");
}
