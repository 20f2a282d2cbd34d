using Lotse.Domain.Accounts;

namespace Lotse.Domain.Tests.Accounts;

public sealed class CounsellingRelationTests
{
    private static CounsellingRelation NewRelation() => new(Guid.NewGuid(), Guid.NewGuid(), Utc.Now);

    [Fact]
    public void Constructor_NewRelation_NotARegularClient()
    {
        var counsellorId = Guid.NewGuid();
        var clientId = Guid.NewGuid();

        var relation = new CounsellingRelation(counsellorId, clientId, Utc.Now);

        Assert.False(relation.IsRegularClient);
        Assert.Equal(counsellorId, relation.CounsellorId);
        Assert.Equal(clientId, relation.ClientId);
        Assert.Equal(Utc.Now, relation.SinceUtc);
    }

    [Fact]
    public void MarkAsRegularClient_NewRelation_IsRegularClient()
    {
        var relation = NewRelation();

        relation.MarkAsRegularClient();

        Assert.True(relation.IsRegularClient);
    }

    [Fact]
    public void MarkAsRegularClient_Twice_StaysRegularClient()
    {
        var relation = NewRelation();

        relation.MarkAsRegularClient();
        relation.MarkAsRegularClient();

        Assert.True(relation.IsRegularClient);
    }

    [Fact]
    public void UnmarkAsRegularClient_Marked_NoLongerRegularClient()
    {
        var relation = NewRelation();
        relation.MarkAsRegularClient();

        relation.UnmarkAsRegularClient();

        Assert.False(relation.IsRegularClient);
    }

    [Fact]
    public void UnmarkAsRegularClient_NeverMarked_StaysNotRegularClient()
    {
        var relation = NewRelation();

        relation.UnmarkAsRegularClient();

        Assert.False(relation.IsRegularClient);
    }

    [Fact]
    public void MarkAsRegularClient_AfterUnmark_RegularClientAgain()
    {
        var relation = NewRelation();
        relation.MarkAsRegularClient();
        relation.UnmarkAsRegularClient();

        relation.MarkAsRegularClient();

        Assert.True(relation.IsRegularClient);
    }
}
