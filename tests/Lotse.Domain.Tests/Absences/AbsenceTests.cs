using Lotse.Domain.Absences;

namespace Lotse.Domain.Tests.Absences;

public sealed class AbsenceTests
{
    private static readonly DateTime Start = Utc.At(2026, 7, 20, 0);

    [Fact]
    public void Constructor_EndAfterStart_KeepsEverything()
    {
        var id = Guid.NewGuid();
        var counsellorId = Guid.NewGuid();
        var createdAt = Utc.At(2026, 7, 1, 8);

        var absence = new Absence(id, counsellorId, Start, Start.AddDays(14), "Sommerurlaub", "Frau Berger", createdAt);

        Assert.Equal(id, absence.Id);
        Assert.Equal(counsellorId, absence.CounsellorId);
        Assert.Equal(Start, absence.StartUtc);
        Assert.Equal(Start.AddDays(14), absence.EndUtc);
        Assert.Equal("Sommerurlaub", absence.Note);
        Assert.Equal("Frau Berger", absence.CreatedBy);
        Assert.Equal(createdAt, absence.CreatedAtUtc);
    }

    [Fact]
    public void Constructor_OneTickLong_Accepted()
    {
        var absence = new Absence(Guid.NewGuid(), Guid.NewGuid(), Start, Start.AddTicks(1), "", "Admin", Start);

        Assert.Equal(TimeSpan.FromTicks(1), absence.EndUtc - absence.StartUtc);
    }

    [Fact]
    public void Constructor_EndEqualsStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Absence(Guid.NewGuid(), Guid.NewGuid(), Start, Start, "", "Admin", Start));

        Assert.Equal("endUtc", ex.ParamName);
    }

    [Fact]
    public void Constructor_EndBeforeStart_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new Absence(Guid.NewGuid(), Guid.NewGuid(), Start, Start.AddDays(-1), "", "Admin", Start));

        Assert.Equal("endUtc", ex.ParamName);
    }

    [Fact]
    public void ToPeriod_Absence_SameIdTimesAndNote()
    {
        var absence = new Absence(Guid.NewGuid(), Guid.NewGuid(), Start, Start.AddDays(2), "Fortbildung", "Frau Berger", Start);

        var period = absence.ToPeriod();

        Assert.Equal(new AbsencePeriod(absence.Id, Start, Start.AddDays(2), "Fortbildung"), period);
    }
}
