using Lotse.Domain.Absences;
using Lotse.Domain.Accounts;

namespace Lotse.Domain.Tests.Accounts;

/// <summary>
/// Every combination of Accountstatus, regular-client relation and absence (2 × 3 × 3 × 2 × 2 = 72) against
/// the rules of the dashboard help text, stated once below independently of the code under test.
/// </summary>
public sealed class AvailabilityMatrixTests
{
    private static readonly DateTime Now = Utc.Now;

    public static TheoryData<bool, ChatMode, MailMode, bool, bool> AllCases()
    {
        var data = new TheoryData<bool, ChatMode, MailMode, bool, bool>();
        foreach (var regularClientsOnly in new[] { false, true })
        {
            foreach (var chat in Enum.GetValues<ChatMode>())
            {
                foreach (var mail in Enum.GetValues<MailMode>())
                {
                    foreach (var isRegularClient in new[] { false, true })
                    {
                        foreach (var isAbsent in new[] { false, true })
                        {
                            data.Add(regularClientsOnly, chat, mail, isRegularClient, isAbsent);
                        }
                    }
                }
            }
        }

        return data;
    }

    /// <summary>The rules, written out one by one as the seed and SPEC state them.</summary>
    private static Expected Rules(bool regularClientsOnly, ChatMode chat, MailMode mail, bool isRegularClient, bool isAbsent)
    {
        // Toggle off (grey): everybody may book, send mail requests and chat.
        // Toggle on (black): nobody books; only regular clients may send mail requests and chat.
        bool clientMayWrite;
        bool canBook;
        if (!regularClientsOnly)
        {
            clientMayWrite = true;
            canBook = true; // slots inside an absence are removed by the slot planner, not here
        }
        else
        {
            clientMayWrite = isRegularClient;
            canBook = false;
        }

        // Chat: Online = can be written to and shown online; Nicht Online = can be written to, shown offline;
        // Nicht anwählbar = cannot be written to. An absence makes chat unreachable and not shown online.
        bool chatReachable;
        bool chatShowsOnline;
        switch (chat)
        {
            case ChatMode.Online:
                chatReachable = true;
                chatShowsOnline = true;
                break;
            case ChatMode.NotOnline:
                chatReachable = true;
                chatShowsOnline = false;
                break;
            case ChatMode.NotReachable:
                chatReachable = false;
                chatShowsOnline = false;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(chat));
        }

        if (isAbsent)
        {
            chatReachable = false;
            chatShowsOnline = false;
        }

        var canChat = clientMayWrite && chatReachable;

        // Shown online only to a client who may actually write in that chat right now.
        var shownOnline = canChat && chatShowsOnline;

        // Mail: under "keine neuen Anfragen", a full capacity or an absence a request is still accepted and
        // routed to the fallback, so the mail mode and the absence never decide whether one may be sent.
        _ = mail;
        var canSendMailRequest = clientMayWrite;

        // The refusal note "nimmt derzeit nur Stammklient:innen an" is for clients the toggle turns away.
        var onlyRegularClients = regularClientsOnly && !isRegularClient;

        return new Expected(canBook, canChat, shownOnline, canSendMailRequest, onlyRegularClients);
    }

    [Fact]
    public void AllCases_EveryCombination_SeventyTwoDistinctCases()
    {
        var rows = AllCases().Select(row => string.Join('|', row)).ToList();

        Assert.Equal(72, rows.Count);
        Assert.Equal(72, rows.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void For_StatusRegularClientAndAbsence_MatchesSeedRules(
        bool regularClientsOnly, ChatMode chat, MailMode mail, bool isRegularClient, bool isAbsent)
    {
        var status = new AccountStatus(regularClientsOnly, chat, mail, MailCapacity: 5);
        var running = Utc.Absence(Now.AddHours(-2), Now.AddHours(3), "Im Urlaub");
        var past = Utc.Absence(Now.AddDays(-10), Now.AddDays(-9));
        var future = Utc.Absence(Now.AddDays(5), Now.AddDays(6));
        // Past and future absences are always present, so only a running one may make a difference.
        var absences = isAbsent ? new[] { past, running, future } : new[] { past, future };

        var actual = Availability.For(status, isRegularClient, absences, Now);

        var expected = Rules(regularClientsOnly, chat, mail, isRegularClient, isAbsent);
        Assert.Equal(
            expected,
            new Expected(actual.CanBook, actual.CanChat, actual.ShownOnline, actual.CanSendMailRequest, actual.OnlyRegularClients));
        Assert.Equal(isAbsent ? running : null, actual.Absence);
        Assert.Equal(isAbsent ? running.EndUtc : future.StartUtc, actual.ValidUntil);
    }

    private sealed record Expected(bool CanBook, bool CanChat, bool ShownOnline, bool CanSendMailRequest, bool OnlyRegularClients);
}
