namespace Lotse.Domain.Accounts;

/// <summary>An advice seeker. May be anonymous: a nickname is all we know.</summary>
public sealed class Client
{
    private Client()
    {
    }

    public Client(Guid id, string userId, string nickname, DateTime createdUtc)
    {
        Id = id;
        UserId = userId;
        Nickname = nickname;
        CreatedUtc = createdUtc;
        LastActiveUtc = createdUtc;
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; } = "";

    public string Nickname { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    /// <summary>
    /// The last time the person used their account (signed in, opened a page, sent a message), to the nearest few
    /// minutes: retention deletes anonymous accounts that nobody used for the agency's period.
    /// </summary>
    public DateTime LastActiveUtc { get; private set; }
}
