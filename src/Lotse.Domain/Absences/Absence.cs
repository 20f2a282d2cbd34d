namespace Lotse.Domain.Absences;

/// <summary>A period in which a counsellor is away, with a note that clients see.</summary>
public sealed class Absence
{
    public const int MaxNoteLength = 500;

    private Absence()
    {
    }

    public Absence(Guid id, Guid counsellorId, DateTime startUtc, DateTime endUtc, string note, string createdBy, DateTime createdAtUtc)
    {
        Guard(startUtc, endUtc, note);
        Id = id;
        CounsellorId = counsellorId;
        StartUtc = startUtc;
        EndUtc = endUtc;
        Note = note;
        CreatedBy = createdBy;
        CreatedAtUtc = createdAtUtc;
    }

    public Guid Id { get; private set; }

    public Guid CounsellorId { get; private set; }

    public DateTime StartUtc { get; private set; }

    public DateTime EndUtc { get; private set; }

    public string Note { get; private set; } = "";

    /// <summary>Display name of whoever entered it (the counsellor or an agency admin).</summary>
    public string CreatedBy { get; private set; } = "";

    public DateTime CreatedAtUtc { get; private set; }

    public AbsencePeriod ToPeriod() => new(Id, StartUtc, EndUtc, Note);

    /// <summary>Moves the period and note; callers check <see cref="AbsencePlanning.CheckChange"/> first.</summary>
    public void Reschedule(DateTime startUtc, DateTime endUtc, string note)
    {
        Guard(startUtc, endUtc, note);
        StartUtc = startUtc;
        EndUtc = endUtc;
        Note = note;
    }

    private static void Guard(DateTime startUtc, DateTime endUtc, string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (endUtc <= startUtc)
        {
            throw new ArgumentException("An absence ends after it starts.", nameof(endUtc));
        }

        if (note.Length > MaxNoteLength)
        {
            throw new ArgumentException("The note is too long.", nameof(note));
        }
    }
}
