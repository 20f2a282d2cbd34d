namespace Lotse.Bench.Infrastructure;

public static class ConnectionStrings
{
    /// <summary>The connection string without its password, for the report.</summary>
    public static string Redact(string connectionString) =>
        string.Join(';', connectionString.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
