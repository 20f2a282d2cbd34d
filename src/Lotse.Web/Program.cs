using Lotse.Web.Data;
using Lotse.Web.Features.Absences;
using Lotse.Web.Features.Audit;
using Lotse.Web.Features.Appointments;
using Lotse.Web.Features.Chat;
using Lotse.Web.Features.Accounts;
using Lotse.Web.Features.AgencyAdmin;
using Lotse.Web.Features.Counsellors;
using Lotse.Web.Features.CounsellorAdmin;
using Lotse.Web.Features.Dashboard;
using Lotse.Web.Features.Mail;
using Lotse.Web.Features.Notifications;
using Lotse.Web.Features.Operations;
using Lotse.Web.Features.Security;
using Lotse.Web.Features.Privacy;
using Lotse.Web.Features.Supervision;
using Lotse.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.AddLotseSafeLogging();
builder.AddLotseData();
builder.AddLotseAccounts();
builder.AddLotseAccountSecurity();
builder.AddLotseWeb();
builder.AddLotseSecurity();
builder.AddAgencyAdmin();
builder.AddCounsellors();
builder.AddDashboard();
builder.AddAbsences();
builder.AddRoom();
builder.AddAppointments();
builder.AddNotifications();
builder.AddChat();
builder.AddMail();
builder.AddAudit();
builder.AddPrivacy();
builder.AddCounsellorAdmin();
builder.AddSupervision();
builder.AddLotseOperations();

var app = builder.Build();

app.UseLotseOperations();
app.UseLotseSecurity();
app.UseLotseWeb();
app.UsePrivacy();
app.UseDashboardPageCache();
app.MapLotseWeb();
app.MapLotseOperations();
app.MapCounsellors();
app.MapRoom();
app.MapChat();
app.MapSupervision();

await app.PrepareDatabaseAsync(CancellationToken.None);
await app.RunAsync();

/// <summary>Entry point; public so that the test projects can host the real app.</summary>
public partial class Program;
