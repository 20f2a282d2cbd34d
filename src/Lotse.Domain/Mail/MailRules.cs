namespace Lotse.Domain.Mail;

/// <summary>Why a text or subject cannot be sent.</summary>
public enum MailTextProblem
{
    None,
    EmptySubject,
    SubjectTooLong,
    EmptyText,
    TextTooLong,
}

/// <summary>A checked mail: subject and body as they will be stored, or the first problem found.</summary>
public sealed record MailText(string Subject, string Body, MailTextProblem Problem)
{
    public bool IsValid => Problem == MailTextProblem.None;
}

public static class MailRules
{
    /// <summary>The default response target of an agency: a request unanswered longer than this is overdue.</summary>
    public static readonly TimeSpan DefaultResponseTarget = TimeSpan.FromHours(48);

    public const int MinResponseTargetHours = 1;
    public const int MaxResponseTargetHours = 24 * 14;

    /// <summary>A follow-up: plain text, 1 to <see cref="MailMessage.MaxLength"/> characters.</summary>
    public static MailText CheckFollowUp(string? body) => Check(null, body);

    /// <summary>A new request: a subject (one line, 1 to <see cref="MailThread.MaxSubjectLength"/>) and a body.</summary>
    public static MailText CheckRequest(string? subject, string? body) => Check(subject ?? "", body);

    public static bool IsOverdue(MailThreadState state, DateTime? awaitingReplySinceUtc, TimeSpan responseTarget, DateTime now) =>
        state is MailThreadState.Open or MailThreadState.InProgress
        && awaitingReplySinceUtc is { } since
        && now - since > responseTarget;

    private static MailText Check(string? subject, string? body)
    {
        var cleanSubject = subject is null ? "" : string.Join(' ', PlainText.Normalize(subject).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var cleanBody = PlainText.Normalize(body);
        var problem = (subject, cleanSubject.Length, cleanBody.Length) switch
        {
            (not null, 0, _) => MailTextProblem.EmptySubject,
            (not null, > MailThread.MaxSubjectLength, _) => MailTextProblem.SubjectTooLong,
            (_, _, 0) => MailTextProblem.EmptyText,
            (_, _, > MailMessage.MaxLength) => MailTextProblem.TextTooLong,
            _ => MailTextProblem.None,
        };
        return problem == MailTextProblem.None
            ? new MailText(cleanSubject, cleanBody, problem)
            : new MailText("", "", problem);
    }
}
