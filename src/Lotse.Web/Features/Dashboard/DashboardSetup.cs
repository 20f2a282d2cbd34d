namespace Lotse.Web.Features.Dashboard;

public static class DashboardSetup
{
    public static void AddDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<LoadDashboard>();
        builder.Services.AddScoped<ChangeAccountStatus>();
    }
}
