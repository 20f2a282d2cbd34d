namespace Lotse.Domain.Appointments;

/// <summary>A weekly window in which a counsellor offers bookable slots on one channel (Berlin wall-clock time).</summary>
public sealed class BookingHours
{
    private BookingHours()
    {
    }

    public BookingHours(Guid id, Guid counsellorId, DayOfWeek day, TimeOnly from, TimeOnly to, AppointmentChannel channel)
    {
        if (to <= from)
        {
            throw new ArgumentException("Booking hours end after they start.", nameof(to));
        }

        Id = id;
        CounsellorId = counsellorId;
        Day = day;
        From = from;
        To = to;
        Channel = channel;
    }

    public Guid Id { get; private set; }

    public Guid CounsellorId { get; private set; }

    public DayOfWeek Day { get; private set; }

    public TimeOnly From { get; private set; }

    public TimeOnly To { get; private set; }

    public AppointmentChannel Channel { get; private set; }

    public WeeklyHours ToWeekly() => new(Day, From, To, Channel);
}

/// <summary>A single-day exception: a day (or part of it) on which a counsellor offers no slots, e.g. a training day.</summary>
public sealed class BookingBlock
{
    private BookingBlock()
    {
    }

    public BookingBlock(Guid id, Guid counsellorId, DateOnly date, TimeOnly? from, TimeOnly? to)
    {
        if (from is { } f && to is { } t && t <= f)
        {
            throw new ArgumentException("A blocked time ends after it starts.", nameof(to));
        }

        if ((from is null) != (to is null))
        {
            throw new ArgumentException("Give both times or none (whole day).", nameof(to));
        }

        Id = id;
        CounsellorId = counsellorId;
        Date = date;
        From = from;
        To = to;
    }

    public Guid Id { get; private set; }

    public Guid CounsellorId { get; private set; }

    public DateOnly Date { get; private set; }

    /// <summary>Null with <see cref="To"/>: the whole day.</summary>
    public TimeOnly? From { get; private set; }

    public TimeOnly? To { get; private set; }

    public DayBlock ToDayBlock() => new(Date, From, To);
}

public sealed record WeeklyHours(DayOfWeek Day, TimeOnly From, TimeOnly To, AppointmentChannel Channel)
{
    /// <summary>Two windows of the same day and channel that share time would offer the same slot twice.</summary>
    public bool Overlaps(WeeklyHours other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Day == other.Day && Channel == other.Channel && From < other.To && other.From < To;
    }
}

public sealed record DayBlock(DateOnly Date, TimeOnly? From, TimeOnly? To);
