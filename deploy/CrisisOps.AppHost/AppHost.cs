using CrisisOps.AppHost;

// Local orchestration of CrisisOps: every service as a process (no containers: PostgreSQL and RabbitMQ are the local
// servers deploy/infra.sh starts, passed in as ConnectionStrings:postgres-migrator / -app / -auditor and
// ConnectionStrings:rabbitmq), with the Aspire dashboard collecting their traces, metrics and logs. deploy/run.sh sets
// all of that up and starts it.
var builder = DistributedApplication.CreateBuilder(args);
var crisisOps = new CrisisOpsServices(builder);

// One line per service: its resource name, its project and its fixed local gRPC port (h2c, 127.0.0.1).
crisisOps.Add<Projects.CrisisOps_Declaration>("declaration", 5101);
crisisOps.Add<Projects.CrisisOps_Measures>("measures", 5102);
crisisOps.Add<Projects.CrisisOps_Reception>("reception", 5103);
crisisOps.Add<Projects.CrisisOps_Humanitarian>("humanitarian", 5104);
crisisOps.Add<Projects.CrisisOps_Leverages>("leverages", 5105);
// The auditor's read-only API: no store of its own and no bus; it reads the five stores as crisisops_auditor.
crisisOps.AddAuditor<Projects.CrisisOps_Auditor>("auditor", 5106);
// The situation picture across the five (gRPC on 5107) and its board for browsers (Board__Url, HTTP/1.1 on 5108).
crisisOps.Add<Projects.CrisisOps_Situation>("situation", 5107);

builder.Build().Run();
