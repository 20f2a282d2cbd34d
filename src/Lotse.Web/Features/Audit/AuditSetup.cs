namespace Lotse.Web.Features.Audit;

public static class AuditSetup
{
    public static void AddAudit(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditLog>();
    }
}
