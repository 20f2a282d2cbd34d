using System.Globalization;
using Lotse.Domain.Mail;
using Lotse.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace Lotse.Web.Features.Mail;

/// <summary>The German words of mail counselling: states, why a request reached someone, and input problems.</summary>
public sealed class MailTexts(IStringLocalizer<SharedResource> t)
{
    public string Arrived => t["Ihre Anfrage ist angekommen."];

    public string Taken => t["Sie haben die Anfrage übernommen. Sie können jetzt antworten."];

    public string TakenByOther => t["Diese Anfrage hat gerade eine Kolleg:in übernommen."];

    public string ClosedDone => t["Die Anfrage ist abgeschlossen. Ein Platz für eine neue Anfrage ist frei."];

    public string Archived => t["Die Anfrage ist archiviert."];

    public string NotNow => t["Das geht in diesem Stand der Anfrage nicht."];

    public string Sent => t["Ihre Nachricht ist gesendet."];

    public string ClosedNoReply => t["Diese Anfrage ist abgeschlossen. Es kann nichts mehr hinzugefügt werden."];

    public string TakeFirst => t["Bitte übernehmen Sie die Anfrage zuerst; dann können Sie antworten."];

    public string State(MailThreadState state) => state switch
    {
        MailThreadState.Open => t["offen"],
        MailThreadState.InProgress => t["in Bearbeitung"],
        MailThreadState.Closed => t["abgeschlossen"],
        _ => t["archiviert"],
    };

    public string Problem(MailTextProblem problem) => problem switch
    {
        MailTextProblem.EmptySubject => t["Bitte geben Sie einen Betreff ein."],
        MailTextProblem.SubjectTooLong => t["Der Betreff darf höchstens {0} Zeichen lang sein.", MailThread.MaxSubjectLength],
        MailTextProblem.TextTooLong => t["Die Nachricht darf höchstens {0} Zeichen lang sein.", MailMessage.MaxLength.ToString("N0", CultureInfo.CurrentCulture)],
        _ => t["Bitte schreiben Sie eine Nachricht."],
    };

    /// <summary>For the counsellor: why this request is theirs ("weitergeleitet von …, weil …"), or null when it simply is.</summary>
    public string? WhyHere(MailThreadView thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (thread.TakenFromQueue)
        {
            return t["Aus der Warteschlange von „{0}“ übernommen.", thread.AgencyName];
        }

        var from = thread.ForwardedFromName;
        var reason = thread.RouteReason switch
        {
            RouteReason.NoNewRequests => t["{0} derzeit keine neuen Anfragen annimmt", from ?? ""].Value,
            RouteReason.CapacityFull => t["{0} die Höchstzahl offener Anfragen erreicht hat", from ?? ""].Value,
            RouteReason.Absent => t["{0} abwesend ist", from ?? ""].Value,
            RouteReason.NobodyFree => t["an der Beratungsstelle gerade niemand neue Anfragen annimmt"].Value,
            RouteReason.CounsellorDisabled => t["der Zugang von {0} deaktiviert wurde", from ?? ""].Value,
            _ => null,
        };
        return (thread.RouteKind, thread.RouteReason) switch
        {
            (RouteKind.Counsellor, RouteReason.LeastLoaded) => t["An „{0}“ gerichtet; Ihnen zugeteilt, weil Sie die wenigsten offenen Anfragen hatten.", thread.AgencyName].Value,
            (RouteKind.Counsellor, RouteReason.RegularClient) => t["Von Ihrer Stammklient:in: Solche Anfragen erreichen Sie immer, auch bei „keine neuen Anfragen“ oder voller Kapazität."].Value,
            (RouteKind.Counsellor, _) => null,
            (RouteKind.PersonalFallback, _) when from is not null => t["Weitergeleitet von {0}, weil {1}. Sie sind die persönliche Fallback-Berater:in.", from, reason ?? ""].Value,
            (RouteKind.AgencyFallback, _) when from is not null => t["Weitergeleitet von {0}, weil {1}. Sie sind die Fallback-Berater:in der Beratungsstelle.", from, reason ?? ""].Value,
            (RouteKind.AgencyFallback, _) => t["An die Beratungsstelle gerichtet; bei Ihnen als Fallback-Berater:in, weil {0}.", reason ?? ""].Value,
            _ => t["Wartet in der Warteschlange von „{0}“, weil {1}.", thread.AgencyName, QueueCause(thread, reason)].Value,
        };
    }

    /// <summary>For the client: who answers, and, when it is not who they wrote to, why.</summary>
    public string WhoAnswers(MailThreadView thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (thread.CounsellorName is not { } answering)
        {
            return t["Ihre Anfrage ist bei „{0}“ angekommen. Die nächste freie Berater:in übernimmt sie und antwortet Ihnen hier.", thread.AgencyName];
        }

        if (thread.State is MailThreadState.Closed or MailThreadState.Archived)
        {
            return t["Beantwortet von {0}.", answering];
        }

        var addressed = thread.AddressedName;
        if (addressed is null || addressed == answering || thread.TakenFromQueue)
        {
            return t["Es antwortet Ihnen {0}.", answering];
        }

        return thread.RouteReason switch
        {
            RouteReason.Absent => t["{0} ist abwesend. Damit Sie nicht warten müssen, antwortet Ihnen {1}.", addressed, answering],
            RouteReason.CounsellorDisabled => t["{0} ist nicht mehr für Sie erreichbar. Es antwortet Ihnen {1}.", addressed, answering],
            _ => t["{0} nimmt gerade keine neuen Anfragen an. Damit Sie nicht warten müssen, antwortet Ihnen {1}.", addressed, answering],
        };
    }

    private string QueueCause(MailThreadView thread, string? reason) => thread.QueueCause switch
    {
        Domain.Mail.QueueCause.FallbackAbsent => t["{0}, und die Fallback-Berater:in ist abwesend", reason ?? ""],
        Domain.Mail.QueueCause.NoFallback => t["{0}, und keine Fallback-Berater:in benannt ist", reason ?? ""],
        _ => reason ?? "",
    };
}
