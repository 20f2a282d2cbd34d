namespace Lotse.Domain.Accounts;

/// <summary>An advice seeker. May be anonymous: a nickname is all we know.</summary>
public sealed class Client
{
    private Client()
    {
    }

    public Client(Guid id, string userId, string nickname)
    {
        Id = id;
        UserId = userId;
        Nickname = nickname;
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; } = "";

    public string Nickname { get; private set; } = "";
}
