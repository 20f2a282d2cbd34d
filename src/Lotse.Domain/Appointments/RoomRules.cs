namespace Lotse.Domain.Appointments;

/// <summary>Whether the appointment room can be entered at a given instant, and what to tell the people who try.</summary>
public abstract record RoomAccess;

/// <summary>The room is open; it closes at <paramref name="ClosesAtUtc"/> (exclusive).</summary>
public sealed record RoomOpen(DateTime ClosesAtUtc) : RoomAccess;

/// <summary>Too early: the room opens at <paramref name="OpensAtUtc"/>.</summary>
public sealed record RoomNotYetOpen(DateTime OpensAtUtc) : RoomAccess;

/// <summary>Too late: the room closed at <paramref name="ClosedAtUtc"/>.</summary>
public sealed record RoomClosed(DateTime ClosedAtUtc) : RoomAccess;

/// <summary>The appointment is not confirmed (requested, declined or cancelled): there is no room at any time.</summary>
public sealed record RoomNotConfirmed(AppointmentStatus Status) : RoomAccess;

/// <summary>How long before the start the room opens and how long after the end it stays open.</summary>
public sealed record RoomWindow
{
    public RoomWindow(TimeSpan opensBefore, TimeSpan closesAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opensBefore, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(closesAfter, TimeSpan.Zero);
        OpensBefore = opensBefore;
        ClosesAfter = closesAfter;
    }

    public static RoomWindow Default { get; } = new(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));

    public TimeSpan OpensBefore { get; }

    public TimeSpan ClosesAfter { get; }
}

/// <summary>
/// The appointment room is open for a confirmed appointment from <see cref="RoomWindow.OpensBefore"/> before its start
/// until <see cref="RoomWindow.ClosesAfter"/> after its end: [start − before, end + after), like the appointment's own
/// [start, end). A status other than confirmed keeps it shut whatever the time.
/// </summary>
public static class RoomRules
{
    public static RoomAccess Access(AppointmentStatus status, DateTime startUtc, DateTime endUtc, DateTime now, RoomWindow? window = null)
    {
        window ??= RoomWindow.Default;
        if (status != AppointmentStatus.Confirmed)
        {
            return new RoomNotConfirmed(status);
        }

        var opensAt = startUtc - window.OpensBefore;
        var closesAt = endUtc + window.ClosesAfter;
        if (now < opensAt)
        {
            return new RoomNotYetOpen(opensAt);
        }

        return now < closesAt ? new RoomOpen(closesAt) : new RoomClosed(closesAt);
    }
}
