namespace Lotse.Domain.Accounts;

/// <summary>Chat setting of the Accountstatus tile.</summary>
public enum ChatMode
{
    /// <summary>"Online": reachable and shown online.</summary>
    Online,

    /// <summary>"Nicht Online": reachable, shown offline; messages wait for the counsellor.</summary>
    NotOnline,

    /// <summary>"Nicht anwählbar": not reachable, chat is not offered.</summary>
    NotReachable,
}

/// <summary>Mail setting of the Accountstatus tile.</summary>
public enum MailMode
{
    /// <summary>"unbegrenzte Anfragen": takes every new request.</summary>
    Unlimited,

    /// <summary>"keine neuen Anfragen": new requests go to the fallback counsellor.</summary>
    NoNewRequests,

    /// <summary>"nach Ressourcen": takes at most N open requests; more go to the fallback.</summary>
    ByCapacity,
}

/// <summary>The counsellor's availability settings, exactly as the dashboard tile shows them.</summary>
public sealed record AccountStatus(bool RegularClientsOnly, ChatMode Chat, MailMode Mail, int MailCapacity)
{
    public const int MinMailCapacity = 1;
    public const int MaxMailCapacity = 999;
    public const int DefaultMailCapacity = 10;

    public static AccountStatus Initial { get; } =
        new(RegularClientsOnly: false, ChatMode.NotOnline, MailMode.Unlimited, DefaultMailCapacity);

    public static bool IsValidCapacity(int capacity) => capacity is >= MinMailCapacity and <= MaxMailCapacity;
}
