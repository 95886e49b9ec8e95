namespace Live.Contracts;

/// <summary>Money rules of PROTOCOL.md: decimal, at most two decimals, ISO 4217 currency.</summary>
public static class Money
{
    public const string DefaultCurrency = "CNY";
    public const decimal Max = 10_000_000m;

    public static void RequirePrice(decimal price, string what = "price")
    {
        if (price <= 0 || price > Max || decimal.Round(price, 2) != price)
        {
            throw LiveException.Invalid($"{what} must be greater than 0, at most {Max}, with at most two decimals");
        }
    }

    public static string NormalizeCurrency(string? currency)
    {
        if (string.IsNullOrEmpty(currency))
        {
            return DefaultCurrency;
        }

        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw LiveException.Invalid("currency must be an ISO 4217 code such as CNY");
        }

        return currency;
    }
}
