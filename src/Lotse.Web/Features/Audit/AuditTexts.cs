using Lotse.Domain.Accounts;
using Lotse.Domain.Mail;
using System.Globalization;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Infrastructure;

namespace Lotse.Web.Features.Audit;

/// <summary>
/// The short, content-free details of entries, in German as the dashboard names things ("Chat: Online → Nicht Online").
/// They are stored as written, so they name settings and staff, never anything a client or counsellor wrote.
/// </summary>
public static class AuditTexts
{
    public static string Chat(ChatMode mode) => mode switch
    {
        ChatMode.Online => "Online",
        ChatMode.NotOnline => "Nicht Online",
        ChatMode.NotReachable => "Nicht anwählbar",
        _ => mode.ToString(),
    };

    public static string Mail(MailMode mode) => mode switch
    {
        MailMode.Unlimited => "unbegrenzte Anfragen",
        MailMode.NoNewRequests => "keine neuen Anfragen",
        MailMode.ByCapacity => "nach Ressourcen",
        _ => mode.ToString(),
    };

    /// <summary>A period in Berlin time, the same in every UI language: "24.11.2026 14:00 – 26.11.2026 00:00".</summary>
    public static string Period(DateTime startUtc, DateTime endUtc) => $"{Berlin(startUtc)} – {Berlin(endUtc)}";

    public static string Berlin(DateTime utc) => BerlinTime.ToLocal(utc).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string OnOff(bool on) => on ? "an" : "aus";

    public static string Role(string role) => role switch
    {
        Roles.Client => "Ratsuchende Person",
        Roles.Counsellor => "Berater:in",
        Roles.AgencyAdmin => "Verwaltung",
        Roles.PlatformAdmin => "Plattform-Verwaltung",
        _ => role,
    };

    /// <summary>What changed between two account states, e.g. "Chat: Online → Nicht Online; N: 10 → 3"; empty when nothing did.</summary>
    public static string StatusChange(AccountStatus before, AccountStatus after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var parts = new List<string>();
        if (before.RegularClientsOnly != after.RegularClientsOnly)
        {
            parts.Add($"nur für Stammklient:innen: {OnOff(before.RegularClientsOnly)} → {OnOff(after.RegularClientsOnly)}");
        }

        if (before.Chat != after.Chat)
        {
            parts.Add($"Chat: {Chat(before.Chat)} → {Chat(after.Chat)}");
        }

        if (before.Mail != after.Mail)
        {
            parts.Add($"Mail: {Mail(before.Mail)} → {Mail(after.Mail)}");
        }

        if (before.MailCapacity != after.MailCapacity)
        {
            parts.Add($"N: {before.MailCapacity} → {after.MailCapacity}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>Where routing sent a new request and why, e.g. "Weitergeleitet an Dora Vogt (Fallback der Beratungsstelle), von Ben Schulz, weil abwesend".</summary>
    public static string Routing(RoutingDecision decision, string? toName, string? fromName)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var why = Reason(decision.Reason);
        var from = fromName is null ? "" : $", von {fromName}";
        return decision.Kind switch
        {
            RouteKind.Counsellor => $"Zugeteilt an {toName}, weil {why}",
            RouteKind.PersonalFallback => $"Weitergeleitet an {toName} (persönliche Fallback-Berater:in){from}, weil {why}",
            RouteKind.AgencyFallback => $"Weitergeleitet an {toName} (Fallback der Beratungsstelle){from}, weil {why}",
            _ => $"In die Warteschlange{from}, weil {why}" + decision.QueueCause switch
            {
                QueueCause.NoFallback => "; keine Fallback-Berater:in benannt",
                QueueCause.FallbackAbsent => "; Fallback-Berater:in abwesend",
                _ => "",
            },
        };
    }

    private static string Reason(RouteReason reason) => reason switch
    {
        RouteReason.Unlimited => "unbegrenzte Anfragen",
        RouteReason.FreeSlot => "freier Platz",
        RouteReason.RegularClient => "Stammklient:in",
        RouteReason.LeastLoaded => "wenigste offene Anfragen",
        RouteReason.NoNewRequests => "keine neuen Anfragen",
        RouteReason.CapacityFull => "Höchstzahl erreicht",
        RouteReason.Absent => "abwesend",
        RouteReason.NobodyFree => "niemand frei",
        RouteReason.CounsellorDisabled => "Berater:in deaktiviert",
        _ => reason.ToString(),
    };
}
