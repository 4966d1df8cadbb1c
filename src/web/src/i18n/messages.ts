import { MESSAGES, type MessageCode } from '../../../domain/messages.ts';

/**
 * The server's messages, by code: English from the catalog the server renders itself, Chinese here.
 * The type asks for every code, so a message the server gains cannot be forgotten here.
 */
const zhCN: Record<MessageCode, string> = {
  'lifecycle.requested': '{{author}} 请求{{kind}}（提交 #{{submission}}）',
  'lifecycle.upgradeFrom': '从保存点 {{savepoint}} 升级到版本 {{version}}',
  'lifecycle.failedAtStep': '{{kind}}在步骤「{{step}}」失败：{{cause}}',
  'lifecycle.failedNoJob': '{{kind}}在步骤「{{step}}」失败：{{cause}}；未创建 Flink 作业',
  'lifecycle.failedJobGone': '{{kind}}在步骤「{{step}}」失败：{{cause}}；作业已不在集群中',
  'lifecycle.failedJobIs': '{{kind}}在步骤「{{step}}」失败：{{cause}}；Flink 中作业为 {{flinkState}}',
  'lifecycle.jobManagerAnswers': '集群 {{cluster}} 的 JobManager 在 {{url}} 应答',
  'lifecycle.taskManagersRegistered': '集群 {{cluster}} 上已注册 {{count}} 个 TaskManager',
  'lifecycle.running': 'Flink 作业 {{flinkJobId}} 正在运行，全部任务已运行（版本 {{version}}）',
  'lifecycle.failureWhileStarting': '发生故障后 Flink 报告 {{flinkState}}：{{cause}}',
  'lifecycle.endedForUpgrade': 'Flink 作业 {{flinkJobId}} 为原地升级到版本 {{version}} 而结束：{{carried}}',
  'lifecycle.stoppedWithSavepoint':
    'Flink 作业 {{flinkJobId}} 在带保存点停止后为 {{flinkState}}，保存点 {{savepoint}}',
  'lifecycle.afterCancel': 'Flink 作业 {{flinkJobId}} 在取消后为 {{flinkState}}',
  'lifecycle.cancelRequested': '{{author}} 在作业{{submissionInFlight}}时请求取消',
  'lifecycle.cancelledDuringStart': '{{kind}}在步骤「{{step}}」之后被 {{author}} 取消；其内容均已停止',
  'tracker.clusterSilent': '集群 {{cluster}} 无应答：{{detail}}；最后一次看到的状态为{{state}}',
  'tracker.jobGone': 'Flink 作业 {{flinkJobId}} 已不在集群 {{cluster}} 中：集群重启后未恢复该作业',
  'tracker.podFailing':
    '集群 {{cluster}} 上 Flink 作业 {{flinkJobId}} 的 Pod {{pod}} 无法运行：{{reason}}：{{detail}}（Flink 报告 {{flinkState}}）',
  'tracker.reports': 'Flink 报告 {{flinkState}}',
  'tracker.reportsTasks': 'Flink 报告 {{flinkState}}，{{tasks}}',
  'tracker.reportsCause': 'Flink 报告 {{flinkState}}：{{cause}}',
  'tracker.cancelledBehind':
    'Flink 报告 {{flinkState}}：作业在 Flink 中被直接取消（通过其 REST API 或 Web UI），而非通过 Sluice',
  'tracker.jobManagerExited':
    '{{cluster}} 上 Flink 作业 {{flinkJobId}} 的应用集群的 JobManager 已退出，作业无法在没有它的情况下运行（它不会被重启：重启会让作业从头再运行一次）。最后的日志：\n{{log}}',
  'tracker.answersAgain': '{{reason}}（集群 {{cluster}} 恢复应答）',
  'reconcile.clusterSilent': '提交 #{{submission}} 被中断，且集群 {{cluster}} 无应答',
  'reconcile.adoptedStarting':
    '启动在步骤「{{step}}」被平台重启中断；其集群已创建并正在启动（{{status}}）：已接管，Flink 作业 {{flinkJobId}}',
  'reconcile.reattached': '平台重启后重新关联 Flink 作业 {{flinkJobId}}（{{flinkState}}）',
  'reconcile.rolledBack': '启动在步骤「{{step}}」被平台重启中断，Flink 未收到作业；请重新启动',
  'reconcile.flinkReports': '平台重启中断了{{kind}} #{{submission}}，Flink 报告 {{flinkState}}',
  'command.busy': '作业正忙：{{submissionInFlight}}；请等待其完成',
  'command.unseen': '平台暂时看不到该作业（最后状态：{{state}}）；请等待，或取消它',
  'command.alreadyLive': '作业已处于{{state}}；请先停止再启动',
  'command.alreadyLiveAs': '作业已处于{{state}}（Flink 作业 {{flinkJobId}}）；请先停止再启动',
  'command.notFailed': '作业处于{{state}}，不是失败状态',
  'command.notRunning': '作业处于{{state}}，未在运行',
  'command.noFlinkJob': '作业没有 Flink 作业',
  'command.savepointNeedsRunning': '作业处于{{state}}；保存点需要运行中的作业',
  'command.stopFirst': '作业处于{{state}}：请先停止或取消，再删除',
  'command.refused': '无法{{command}}作业 {{job}}：{{why}}',
  'job.busy': '作业 {{job}} 正忙：{{submissionInFlight}}（提交 #{{submission}}）；请等待其完成',
  'job.notFound': '作业「{{job}}」不存在：用 `sluice job list` 列出作业',
  'job.exists': '已有名为「{{job}}」的作业：请换一个名称',
  'job.emptyScript': 'sql：脚本为空',
  'job.changedSince':
    '你编辑的版本 {{base}} 之后作业已被修改：当前为版本 {{current}}。未保存任何内容；请重新加载版本 {{current}}，重新修改后再保存。',
  'job.noSavepointPath': '保存点 {{path}} 在本机上不存在',
  'job.notASavepoint':
    '{{path}} 中没有保存点或检查点（缺少 _metadata 文件）：请给出保存点（savepoint-...）或检查点（chk-N）目录',
  'job.noFileSystem':
    '保存点 {{path}} 位于 {{scheme}}:，集群 {{cluster}} 的引擎没有该文件系统：请把 {{add}} 加入其 plugins 目录，或给出它能读取的路径',
  'job.noLatestState':
    '作业 {{job}} 没有记录任何保存点或保留的检查点：请不带 --from-savepoint 启动，或给出路径',
  'job.badName':
    '「{{name}}」不是有效的作业名称：请使用 1-63 个小写字母、数字和「-」，并以字母或数字开头和结尾',
  'job.badParallelism': '{{value}} 不是有效的并行度：请使用 1 到 1024 之间的整数',
  'job.targetEngine':
    '部署目标 {{target}} 运行 Flink {{targetEngine}}，但作业要求 {{engine}}：请选择该版本的部署目标，或不指定部署目标',
  'job.versionNotFound': '版本「{{version}}」不存在：作业 {{job}} 的版本为 1 到 {{current}}',
  'job.submissionNotFound': '提交「{{job}}#{{number}}」不存在：用 `sluice job submissions {{job}}` 列出提交',
  'job.atLine': '第 {{line}} 行：{{why}}',
  'job.badOption': '配置项「{{key}}」：{{problem}}',
  'job.unquotedSet': "作业脚本中的 SET 必须写成 SET 'key' = 'value'（键和值都加引号）",
  'job.resetInScript': '作业脚本中不允许 RESET；请改为从作业配置中删除该配置项',
  'job.queryInScript': '作业脚本不能包含查询（SELECT）：请用 INSERT INTO 把结果写入结果表',
  'job.noInsert': '脚本中没有 INSERT 语句，因此不会启动任何 Flink 作业：请添加 INSERT INTO <sink> SELECT ...',
  'option.noKey': '配置项需要一个键',
  'option.restartStrategy':
    'Flink 的重启策略就是作业的重启策略：请在那里设置（重启策略字段，CLI 中的 `--restart`），而不是作为配置项',
  'option.notADuration': '「{{value}}」不是时长：请写数字加单位，如 30 s、5 min、2 h 或 500 ms',
  'option.tooShort': '「{{value}}」太短：Flink 至少需要 {{min}} ms',
  'option.notOneOf': '「{{value}}」不是 {{values}} 之一',
  'option.notABoolean': '「{{value}}」不是 true 或 false',
  'option.notAWholeNumber': '「{{value}}」不是整数',
  'option.outOfRange': '{{value}} 超出范围：请使用 {{min}} 到 {{max}}',
  'option.notAStateBackend': '「{{value}}」不是状态后端：请使用 hashmap、rocksdb 或状态后端工厂的类名',
  'option.maxParallelismBelow':
    '{{max}} 小于作业的并行度 {{parallelism}}：Flink 运行的并行任务数不能多于 key group 数',
  'restart.range': '{{value}}：请使用 {{min}} 到 {{max}}',
  'restart.rangeWhole': '{{value}}：请使用 {{min}} 到 {{max}} 之间的整数',
  'restart.backoffShrinks': '{{max}} 小于初始退避时间 {{initial}}：退避时间只会增长',
  'restart.valueMissing': '缺少一个值',
  'restart.notANumber': '「{{text}}」不是数字',
  'restart.badSpec': '请使用 {{help}}',
  'restart.none': 'Flink 不重启作业：第一次故障即失败',
  'restart.fixedDelayOnce': 'Flink 最多重启作业 {{attempts}} 次，间隔 {{delay}} 秒',
  'restart.fixedDelay': 'Flink 最多重启作业 {{attempts}} 次，间隔 {{delay}} 秒',
  'restart.exponentialDelay':
    'Flink 最多重启作业 {{attempts}} 次，先等待 {{initial}} 秒，每次乘以 {{multiplier}}，最长 {{max}} 秒',
  'restart.failureRate':
    'Flink 在故障后 {{delay}} 秒重启作业，除非它在 {{interval}} 秒内失败超过 {{failures}} 次',
  'submission.stepFailed': '步骤「{{step}}」失败：{{cause}}',
  'submission.noVersion': '作业 {{job}} 的版本 {{version}} 不存在',
  'submission.targetEngine':
    '部署目标 {{target}} 运行 Flink {{targetEngine}}，但版本 {{version}} 要求 {{engine}}',
  'submission.at': '第 {{line}} 行第 {{column}} 列：{{problem}}',
  'submission.scriptRefused': '脚本无法运行：{{problem}}',
  'submission.scriptRefusedOneMore': '脚本无法运行：{{problem}}（另有 {{more}} 个问题）',
  'submission.scriptRefusedMore': '脚本无法运行：{{problem}}（另有 {{more}} 个问题）',
  'submission.catalogRefused': 'Flink 无法创建数据目录 {{catalog}}：{{cause}}',
  'submission.statementRefused': 'Flink 拒绝了第 {{line}} 行第 {{column}} 列的语句：{{cause}}',
  'submission.insertRefused': 'Flink 拒绝了第 {{line}} 行的 INSERT 语句：{{cause}}',
  'submission.insertsRefused': 'Flink 拒绝了第 {{lines}} 行的 INSERT 语句：{{cause}}',
  'submission.otherJobId': 'Flink 启动了作业 {{started}}，而不是预留的 {{reserved}}',
  'submission.ended': 'Flink 作业在运行前以 {{flinkState}} 结束',
  'submission.endedCause': 'Flink 作业在运行前以 {{flinkState}} 结束：{{cause}}',
  'submission.endedGaveUp': 'Flink 作业在运行前以 {{flinkState}} 结束（Flink 已放弃：{{policy}}）',
  'submission.endedGaveUpCause':
    'Flink 作业在运行前以 {{flinkState}} 结束（Flink 已放弃：{{policy}}）：{{cause}}',
  'submission.sameCause': 'Flink 作业在运行前以同一原因失败了 {{count}} 次：{{cause}}',
  'submission.still': '{{seconds}} 秒后 Flink 作业仍为 {{flinkState}}',
  'submission.stillTasks': '{{seconds}} 秒后 Flink 作业仍为 {{flinkState}}（{{tasks}}）',
  'submission.noSlots': '{{waited}}：空闲 Slot 不足：{{cause}}',
  'submission.latestFailure': '{{waited}}；最近一次故障：{{cause}}',
  'submission.noFailure': '{{waited}}；Flink 未报告任何故障',
  'submission.savepointFailed': 'Flink 无法生成保存点：{{cause}}',
  'submission.notEnded': '{{seconds}} 秒后 Flink 作业 {{flinkJobId}} 仍为 {{flinkState}}',
  'jars.refused': '集群 {{cluster}} 无法将制品 {{artifact}}（{{path}}）加入 SQL 会话：{{cause}}',
  'jars.remoteUnreadable':
    '远程会话集群 {{cluster}} 的 SQL Gateway 无法读取制品 {{artifact}}（Sluice 存放于 {{path}}；{{cause}}）：远程会话的 Gateway 必须能在同一路径看到 Sluice 的制品目录（共享文件系统）；否则请在本地会话或本地应用目标上运行该作业',
  'jars.stagedUnreadable':
    '会话集群 {{cluster}} 的 SQL Gateway 无法读取 jar {{artifact}}（Sluice 已将其复制到会话目录 {{path}}；{{cause}}）：Gateway 的 Pod 必须在与 Sluice 所在机器相同的路径看到目标的共享目录；请检查目标的 --shared-dir（使用 --shared-claim 时，检查该卷包含此目录），然后重新启动作业',
  'jars.stagedChanged':
    '为会话集群 {{cluster}} 复制的 {{path}} 的 sha256 为 {{got}}，而不是 {{expected}}：存储的制品在 Sluice 之外被修改；未复制也未添加任何内容。请重新上传该制品',
  'reconcile.interruptedSilent': '在步骤「{{step}}」被平台重启中断；集群 {{cluster}} 无应答，结果暂时未知',
  'reconcile.interrupted': '在步骤「{{step}}」被平台重启中断；Flink 报告 {{flinkState}}',
  'reconcile.finishedAsAsked': '平台重启后完成：Flink 报告 {{flinkState}}，正如{{kind}}所要求的',
  'reconcile.finished': '平台重启后完成：Flink 作业 {{flinkJobId}} 存在（{{flinkState}}），已重新关联',
  'reconcile.rolledBackSubmission': '在步骤「{{step}}」被平台重启中断后已回滚：Flink 从未收到该作业',
  'reconcile.rolledBackId':
    '在步骤「{{step}}」被平台重启中断后已回滚：Flink 从未收到该作业（集群不认识 ID {{flinkJobId}}；下次启动会复用它，因此迟到的副本会被 Flink 拒绝）',
  'engine.notFound': '引擎「{{engine}}」不存在：用 `sluice engine install {{engine}}` 安装',
  'engine.noneInstalled': '尚未安装 Flink 引擎：请先运行 `sluice engine install 1.20`',
  'engine.alreadyRegistered': '引擎 {{engine}} 已从 {{home}} 注册；请先删除它，再安装由 Sluice 提供的版本',
  'engine.noHome': '{{home}} 不存在',
  'engine.exists':
    '引擎 {{engine}} 已存在（Flink {{flinkVersion}}，位于 {{home}}）；引擎按次版本号区分，请先删除它',
  'engine.noLib': '{{home}} 不是 Flink 安装目录：其中没有 lib/ 目录',
  'engine.manyDistJars': '{{lib}} 中有 {{count}} 个 flink-dist jar（{{jars}}）：只保留一个',
  'engine.noDistJar': '{{home}} 不是 Flink 安装目录：lib/ 中没有 flink-dist 或 flink-runtime jar',
  'engine.noGatewayJar':
    '{{home}} 中没有 opt/flink-sql-gateway-*.jar：Sluice 通过 SQL Gateway 运行 SQL（Flink 1.16 及以上在 opt/ 中提供）',
  'engine.unsupportedVersion':
    'Flink {{version}} 无法安装：支持的版本为 {{supported}}。其他版本请用 `sluice engine add --home <dir>` 注册已有的安装目录。',
  'engine.corruptArtifacts':
    'Flink {{flinkVersion}}：{{artifacts}} 两次校验和验证失败；仓库提供的文件已损坏。未安装任何内容。',
  'engine.cannotRunMaven': '无法运行 Maven（{{mvn}}）：{{detail}}',
  'engine.mavenMissing':
    'Maven 在仓库中找不到 {{artifacts}}。此版本的 Flink 模块未在该仓库发布；未安装任何内容。',
  'engine.mavenOffline':
    'Maven 无法访问仓库（没有网络或代理被拦截）。已下载的文件保留在 Maven 缓存中；网络恢复后请重新安装，或让 SLUICE_MAVEN_MIRROR 指向可访问的仓库。',
  'engine.pluginUnavailable':
    'Flink {{flinkVersion}} 缺少插件 {{coordinates}}，Maven 未能获取：{{detail}}。引擎保持原样；待仓库提供后重新安装（或将 SLUICE_MAVEN_MIRROR 指向提供它的仓库）。',
  'engine.mavenFailed': 'Maven 失败：{{detail}}',
  'engine.mavenFailedSilently': 'Maven 失败：没有错误信息',
  'maven.compileFailed': 'javac 拒绝了源代码：\n{{errors}}',
  'maven.buildFailed': '用 Maven 为 Flink {{flinkVersion}} 构建 {{what}} 失败：{{detail}}',
  'maven.jarMissing': 'Maven 在 {{project}} 中构建了 {{what}}，但没有生成 {{jar}}：pom 与构建程序不一致',
  'system.noJava':
    '找不到 Java：PATH 中没有 `java`，也没有设置 JAVA_HOME。Flink 需要 Java 17 运行时：请安装（Debian：apt-get install -y openjdk-17-jre-headless）或设置 JAVA_HOME。',
  'system.noJavaVersion': '「{{java}} -version」没有报告 Java 版本：{{output}}',
  'system.unsupportedJava':
    '{{java}} 上的 Java {{major}} 无法在此运行 Flink：请使用 Java 17（或 11），并将 JAVA_HOME 设为 Java 17 安装目录。',
  'system.noMaven':
    'PATH 中找不到 Maven（`mvn`）。Sluice 用它从 Maven Central 组装 Flink：请安装（Debian：apt-get install -y maven），或用 `sluice engine add --home <dir>` 注册已有的 Flink。',
  'system.noGit':
    '在 PATH 中找不到 git。从 git 仓库构建制品需要它：请安装（Debian：apt-get install -y git）。',
  'system.noPrometheus':
    'PATH 中找不到 `prometheus`：Sluice 使用 Debian 软件包中的 Prometheus；请安装（Debian：apt-get install -y --no-install-recommends prometheus；npm start 会自动安装），或设置 SLUICE_PROMETHEUS_URL 使用你自己的，或设置 SLUICE_PROMETHEUS=off 不使用',
  'system.cannotRun': '无法运行 {{command}}：{{detail}}',
  'parser.noPlanner':
    '{{lib}} 中既没有 flink-table-planner-loader 也没有 flink-table-planner：缺少 Flink 的 SQL 解析器',
  'parser.noJavac':
    '在 {{java}} 旁找不到 javac：Flink 的 SQL 解析器助手要在本机编译。请安装 JDK（Debian：apt-get install -y openjdk-17-jdk-headless）。',
  'parser.unknownPlannerPackaging':
    '{{jar}} 中没有 flink-table-planner.jar：Sluice 不认识这个 Flink 的 planner 打包方式',
  'parser.buildFailed': '构建 SQL 解析器助手时 {{tool}} 失败（退出码 {{code}}）：{{output}}',
  'parser.timeout': '{{name}} 在 {{seconds}} 秒内没有应答（{{count}} 条语句）；下次检查时会重启它',
  'parser.startTimeout': '{{name}} 未能在 {{seconds}} 秒内启动',
  'parser.refused': '{{name}} 拒绝了请求：{{detail}}',
  'parser.cannotStart': '无法用 {{java}} 启动 {{name}}：{{detail}}',
  'parser.exited': '{{name}} 已退出（{{how}}）',
  'parser.exitedSaying': '{{name}} 已退出（{{how}}）：{{stderr}}',
  'parser.exitedRestart': '{{why}}；下次检查时会重新启动它',
  'target.notFound':
    '部署目标「{{target}}」不存在：用 `sluice target list` 列出部署目标；用 `sluice cluster start <name> --engine <version>` 启动本地会话部署目标，或用 `sluice cluster register` 注册远程部署目标',
  'target.badName': '「{{name}}」不是有效的部署目标名称：请使用小写字母、数字、「.」和「-」',
  'cluster.noMetricsPort':
    '{{first}} 到 {{last}} 之间没有可供 Prometheus reporter 使用的空闲端口：全部被占用。停止不再需要的集群后再启动。',
  'cluster.badPort': '{{value}} 不是 1024 到 65535 之间的端口',
  'cluster.samePorts': 'restPort、rpcPort 和 gatewayPort 必须是三个不同的端口',
  'cluster.badTaskManagers': '{{value}} 个 TaskManager：请使用 1 到 8',
  'cluster.badSlots': '{{value}} 个 Slot：请使用 1 到 64',
  'target.isRemote': '部署目标 {{target}} 是远程会话部署目标，不是本地的',
  'target.isLocal': '部署目标 {{target}} 是本地会话部署目标；请换一个名称',
  'cluster.badUrl': '「{{url}}」不是 http(s) 地址',
  'cluster.noFlinkAt': '{{url}} 上没有 Flink 应答：{{detail}}',
  'target.remoteNoProcesses': '部署目标 {{target}} 是远程会话部署目标：Sluice 不运行其会话集群的进程',
  'cluster.stopping': '集群 {{cluster}} 正在停止',
  'cluster.notRunning':
    '会话集群 {{cluster}} 未运行：用 `sluice cluster start {{cluster}}` 启动后可查看其槽位',
  'cluster.alreadyStarting': '集群 {{cluster}} 已在启动中',
  'cluster.startPortInUse':
    '无法启动集群 {{cluster}}：端口 {{port}}（{{field}}）已被其他程序占用。请停止该程序，或为集群换一个端口。',
  'cluster.noPid': '无法启动 {{process}}：没有进程号',
  'cluster.restTlsKeys':
    '无法用 JDK 的 keytool 在 {{dir}} 生成本地集群 TLS 的密钥：{{detail}}。请安装 bin/ 中带有 keytool 的 JDK，或设置 SLUICE_FLINK_REST_TLS=off 以明文 HTTP 提供本地集群',
  'cluster.crashing': '集群 {{cluster}} 的 {{process}} 在启动时退出了 {{count}} 次。最后的日志：\n{{log}}',
  'cluster.applicationJobManagerExited':
    '应用集群 {{cluster}} 的 JobManager 在启动作业时退出；它不会被重启，因为重启会让作业从头再运行一次。最后的日志：\n{{log}}',
  'cluster.notHealthy':
    '集群 {{cluster}} 未能在 {{seconds}} 秒内就绪：{{process}} 未就绪。最后的日志：\n{{log}}',
  'cluster.memoryRefused': 'Flink 拒绝了集群的内存配置（{{process}}）：{{cause}}',
  'cluster.memoryRefusedSilently': 'Flink 拒绝了集群的内存配置（{{process}}）：没有错误信息',
  'target.isApplication':
    '{{target}} 是本地应用部署目标：其上每个作业都运行在自己的应用集群中，随作业启动、随作业结束而消失，因此没有会话集群可定义、启动或停止；请启动一个部署目标为 {{target}} 的作业',
  'target.applicationName':
    '{{target}}：以 local-application- 开头的名字是各引擎的本地应用部署目标；请换一个名字',
  'cluster.applicationJobManagerSilent':
    'Flink 作业 {{flinkJobId}} 的应用集群的 JobManager 未能在 {{seconds}} 秒内应答。最后的日志：\n{{log}}',
  'cluster.applicationTaskManagersMissing':
    'Flink 作业 {{flinkJobId}} 的应用集群在 {{seconds}} 秒内只注册了 {{registered}}/{{expected}} 个 TaskManager。taskmanager-1 最后的日志：\n{{log}}',
  'cluster.applicationJobNotSubmitted':
    'Flink 作业 {{flinkJobId}} 的应用集群的 JobManager 未能在 {{seconds}} 秒内提交作业。最后的日志：\n{{log}}',
  'cluster.applicationGone': 'Flink 作业 {{flinkJobId}} 的应用集群未在运行',
  'cluster.noTaskManager': '集群 {{cluster}} 没有已注册的 TaskManager，无法运行作业',
  'cluster.noGateway': '集群 {{cluster}} 没有 SQL Gateway 地址，无法部署 SQL 作业：请用 --gateway-url 注册',
  'logs.noLogs': '部署目标 {{target}}（类型 {{kind}}）无法显示其 Flink 进程的日志',
  'logs.noRun':
    '作业 {{job}} 没有保留运行 {{run}} 的日志：用 `sluice job logs {{job}} --list` 列出其运行和日志源',
  'logs.noSource':
    "作业 {{job}} 没有日志源 '{{source}}'：其日志源为 {{sources}}（`sluice job logs {{job}} --list`）",
  'logs.noSources': '作业 {{job}} 还没有日志：它未在部署目标 {{target}} 上运行过，或其运行目录已被删除',
  'exceptions.noRun':
    '作业 {{job}} 没有运行 {{run}}：请给出其某次提交的 Flink 作业 ID（`sluice job submissions {{job}}`）',
  'exceptions.clusterSilent':
    '部署目标 {{target}} 上 Flink 作业 {{run}} 的集群无应答：{{detail}}；请在其运行后再试',
  'graph.notRunning':
    '作业 {{job}} 处于 {{state}}：实时作业图在其运行时从集群读取（`sluice job start {{job}}`）；过去的运行按其运行时的某一时刻绘制（`sluice job graph {{job}} --at -10m`）',
  'graph.badMoment':
    "'{{value}}' 不是时刻：请给出 ISO 8601 时间，例如 2026-12-03T12:00:00Z，或以 - 加 Prometheus 时长表示多久以前，例如 -10m",
  'graph.momentAhead': '{{at}} 晚于现在（{{now}}）：请给出过去的时刻',
  'graph.beyondRetention':
    '{{at}} 早于 Prometheus 保留样本的时长（{{retention}}：{{oldest}} 之前没有数据）：请给出更晚的时刻',
  'graph.noRunAt':
    '作业 {{job}} 在 {{at}} 没有任何运行在 Prometheus 中有序列：那时它未运行，或 Prometheus 尚未抓取；请在其指标图表有曲线的位置选择时刻',
  'graph.runNotKept':
    'Sluice 没有保存作业 {{job}} 的 Flink 作业 {{run}} 的作业图：运行的作业图在 Sluice 首次看到它 RUNNING 时保存，而这次运行早于此（或 Sluice 未看到它运行）',
  'graph.clusterGone': '部署目标 {{target}} 上的集群已不再知道 Flink 作业 {{run}}：该作业当前未在那里运行',
  'exceptions.notRunYet': '作业 {{job}} 尚未在 Flink 上运行，因此没有异常历史',
  'exceptions.clusterGone':
    '运行 Flink 作业 {{run}} 的集群已不再知道它（应用集群随作业结束；会话集群在 jobstore.expiration-time 后忘记已结束的作业）：Flink 的异常历史也随之消失',
  'exceptions.recorded':
    '运行 Flink 作业 {{run}} 的集群已不再知道它，Flink 的异常历史也随之消失；显示的是 Sluice 在该运行失败时记录的根因',
  'metrics.badTime': "'{{value}}' 不是时间：请给出 ISO 8601 时间，例如 2026-12-03T12:00:00Z",
  'metrics.toNotAfterFrom': '范围的结束（{{to}}）不晚于开始（{{from}}）：请给出晚于 `from` 的 `to`',
  'metrics.stepTooSmall': '步长 {{step}} 秒小于一秒：请给出 1 或更大的值',
  'metrics.tooManyPoints':
    '步长 {{step}} 秒使每个序列有 {{points}} 个点，超过 Prometheus 所答的 {{max}} 个：请给出 {{least}} 秒或更大的步长，或更短的范围',
  'metrics.noFlinkJob':
    '作业 {{job}} 尚未运行，因此没有 Flink 作业 ID，也没有指标：请启动它（`sluice job start {{job}}`）',
  'logs.fileGone': "日志文件 '{{source}}' 不在 {{folder}} 中（列出后已被删除或滚动）",
  'logs.restRefused': "Flink 的 REST API 未提供日志 '{{source}}'（HTTP {{status}}）：请重新列出日志源",
  'flink.cause': '{{cause}}',
  'flink.restUnreachable': '无法访问 {{url}} 上的 Flink REST API：{{detail}}',
  'flink.restAnswered': 'Flink REST {{path}} 返回 {{status}}：{{body}}',
  'flink.jarRunRefused': 'Flink 拒绝了 {{path}}（{{status}}）：{{cause}}',
  'flink.savepointTimeout': '保存点未能在 {{seconds}} 秒内完成',
  'flink.savepointFailed': 'Flink 无法生成保存点',
  'flink.gatewayUnreachable': '无法访问 {{url}} 上的 SQL Gateway：{{detail}}',
  'flink.statementEnded': '语句以 {{status}} 结束',
  'flink.statementTimeout': 'SQL Gateway 未能在 {{seconds}} 秒内执行完语句',
  'artifact.notFound': '制品「{{artifact}}」不存在：用 `sluice artifact list` 列出制品',
  'artifact.versionNotFound':
    '制品 {{artifact}} 没有版本 {{version}}：它的版本为 {{versions}}（`sluice artifact get {{artifact}}`）',
  'artifact.badName':
    '「{{name}}」不是有效的制品名：使用 1-100 个小写字母、数字、「.」「_」和「-」，以字母或数字开头和结尾（或用 --name 指定）',
  'artifact.badReference':
    '「{{reference}}」不是制品引用：写成 name 或 name@version（与 `sluice artifact list` 显示的一致）',
  'artifact.badCoordinates':
    '「{{coordinates}}」不是 Maven 坐标：写成 group:artifact:version 或 group:artifact:version:classifier',
  'artifact.emptyFile': '{{file}} 是空文件：请上传 jar 文件本身',
  'artifact.tooLarge':
    '{{file}} 有 {{size}} 字节，超过上限 {{limit}} 字节（SLUICE_ARTIFACT_MAX_BYTES）；未保存任何内容',
  'artifact.notAZip': '{{file}} 不是 jar（不是 zip 压缩包：{{detail}}）；未保存任何内容',
  'artifact.noManifest':
    '{{file}} 没有 META-INF/MANIFEST.MF，因此不是 jar：请用 jar 工具或 Maven 构建；未保存任何内容',
  'artifact.noEntryClass':
    '{{file}} 中没有类 {{class}}（它有 {{classes}} 个顶层类）：请检查入口类的名称和包；未保存任何内容',
  'artifact.noMainClass':
    '{{file}} 的清单指定的 Main-Class {{class}} 不在 jar 中（{{classes}} 个顶层类）：请修正构建；未保存任何内容',
  'artifact.inUse': '制品 {{artifact}} 被作业 {{jobs}} 使用：请先删除这些作业，或保存不含它的新版本',
  'artifact.versionInUse':
    '制品 {{artifact}} 的版本 {{version}} 被作业 {{jobs}} 使用：请先删除这些作业，或保存不含它的新版本',
  'artifact.mavenFailed': 'Maven 无法从 {{repository}} 解析 {{coordinates}}：{{detail}}',
  'artifact.scanFailed': '无法读取制品 {{artifact}} 版本 {{version}} 中的函数：{{detail}}',
  'artifact.noEngine': '读取函数需要已安装的引擎和 JDK（javac）：用 `sluice engine install 1.20` 安装',
  'artifact.s3Unreachable':
    'S3 制品存储不可用：对 {{endpoint}} 上的存储桶 {{bucket}} 的 HeadBucket 失败（{{cause}}）；请检查 SLUICE_ARTIFACT_S3_ENDPOINT、SLUICE_ARTIFACT_S3_BUCKET 和凭证，或取消 SLUICE_ARTIFACT_S3_* 变量以把制品保存在 SLUICE_HOME 下',
  'artifact.s3Failed': 'S3 制品存储（端点 {{endpoint}}）：对 {{where}} 的 {{operation}} 失败（{{cause}}）',
  'artifact.s3ChecksumMismatch':
    '{{where}} 的内容 sha256 为 {{actual}}，而不是 {{expected}}：该对象在 Sluice 之外被修改，未被使用。请重新上传该制品',
  'artifact.gitBadUrl':
    '「{{url}}」不是 git 仓库地址：请使用 https://、http://、ssh://、git:// 或 file://，或 user@host:path',
  'artifact.gitBadRef': '「{{ref}}」不是分支、标签或提交的名称',
  'artifact.gitBadModule': '「{{module}}」不是仓库中的目录：请给出相对路径，例如 jobs/counter，不能含「..」',
  'artifact.gitBadJarGlob':
    '「{{jar}}」不是 jar 文件名模式：请使用字母、数字、「.」「_」「-」「+」以及通配符 * 和 ?',
  'artifact.gitCloneFailed': 'git 无法克隆该仓库：{{detail}}',
  'artifact.gitRefNotFound': '仓库中没有分支、标签或提交「{{ref}}」：{{detail}}',
  'artifact.gitNoPom': '仓库的 {{dir}} 中没有 pom.xml：请用 --module 指定 Maven 项目所在目录',
  'artifact.gitMavenFailed': 'mvn package 失败：{{detail}}',
  'artifact.gitStopped': '{{command}} 已被停止：服务器正在停止',
  'artifact.gitTimedOut': '{{command}} 在 {{minutes}} 分钟内未结束，已被停止',
  'artifact.gitNoJar': '构建后 {{where}} 中没有 jar：请确认项目打包为 jar，或用 --module 指定其目录',
  'artifact.gitNoJarMatches': '{{where}} 中没有与 {{jar}} 匹配的 jar；候选为 {{candidates}}',
  'artifact.gitManyJars': '构建后 {{where}} 中有多个 jar：{{candidates}}；请用 --jar <模式> 指定要保存的那个',
  'artifact.gitBuildFailed':
    '从 {{url}} 构建 jar 在步骤「{{step}}」失败：{{cause}}；未保存任何内容。日志的最后几行：\n{{tail}}',
  'catalog.notFound': '数据目录「{{catalog}}」不存在：用 `sluice catalog list` 列出数据目录',
  'catalog.badName':
    '「{{name}}」不是有效的数据目录名称：请使用字母、数字和「_」，以字母或「_」开头，且不能是 default_catalog',
  'catalog.badType': '「{{type}}」不是数据目录类型：请使用工厂名称，如 jdbc 或 generic_in_memory',
  'catalog.typeAsOption': '请用 `type` 给出数据目录类型，而不是作为配置项「type」',
  'catalog.inUse': '数据目录 {{catalog}} 被作业 {{jobs}} 选用：请先从这些作业中移除它',
  'catalog.notDefined': '工作区中没有定义数据目录 {{catalog}}：用 `sluice catalog set` 定义',
  'catalog.typeMissing':
    'type：引擎 {{engine}} 上没有数据目录类型「{{type}}」：它有 {{available}}。{{howToAdd}}',
  'catalog.typeMissingConnector':
    'type：引擎 {{engine}} 上没有数据目录类型「{{type}}」：它有 {{available}}。要使用 {{type}}，请添加 {{connector}} 的 jar。{{howToAdd}}',
  'catalog.howToAdd':
    '数据目录类型随其连接器 jar 提供：把 jar 放入 {{libDir}} 并重启该引擎的集群（`sluice cluster stop <name>`，再 `sluice cluster start <name>`）；或用 `sluice engine add --home <dir>` 注册 lib/ 中已有它的 Flink 发行包。',
  'catalog.howToAddRemote':
    '这是远程集群：数据目录类型取决于它自己的 Flink 安装（其 lib/ 目录）；创建数据目录时由 Flink 校验类型。',
  'variable.notFound': '变量「{{variable}}」不存在：用 `sluice variable list` 列出变量',
  'variable.badName':
    '「{{name}}」不是有效的变量名：以字母或「_」开头，后接字母、数字、「_」、「.」或「-」（最多 128 个）',
  'variable.atLine': '第 {{line}} 行第 {{column}} 列',
  'variable.atOption': '配置项 {{option}}',
  'variable.atArgument': '第 {{argument}} 个程序参数',
  'variable.undefined': '变量 ${{{name}}}（{{place}}）未定义：用 `sluice variable set {{name}} <value>` 定义',
  'variable.undefinedMore':
    '变量 ${{{name}}}（{{place}}）未定义（另有 {{more}} 处引用了未定义的变量）：用 `sluice variable set {{name}} <value>` 定义',
  'variable.unreadableSecret': '机密变量 {{variable}} 的存储格式无法被当前版本读取',
  'variable.wrongKey':
    '无法用来自 {{keySource}} 的密钥解密机密变量 {{variable}}：它是用另一个密钥保存的；请恢复那个密钥，或重新设置该变量',
  'sql.exampleNotFound': '示例「{{example}}」不存在：用 `sluice sql examples` 列出示例',
  'sql.badFlinkVersion': '「{{version}}」不是 Flink 版本，应如 1.20 或 2.0',
  'debug.badRowLimit': '{{value}} 行：请使用 1 到 10000 之间的整数',
  'debug.badTimeLimit': '{{value}} 秒：请使用大于 0 且不超过 3600 的值',
  'debug.badRowsPerSecond': '{{value}}：请使用 1 到 100000 之间的整数',
  'debug.sqlOrJob': '请给出 SQL 或作业名称之一，不能同时给出',
  'debug.remoteCluster':
    '集群 {{cluster}} 是远程集群：调试运行使用本地 Session 集群或 Kubernetes 会话目标（其 TaskManager 读取共享目录）',
  'debug.runNotFound': '调试运行「{{id}}」不存在：用 GET /api/v1/sql/debug 列出调试运行',
  'debug.jsonOrCsv': '请以 JSON 或 CSV 之一给出数据行，不能同时给出',
  'debug.rowNotAnObject': '每一行都是「列: 值」形式的 JSON 对象',
  'debug.unreadableInsert': '第 {{line}} 行：无法读取这条 INSERT',
  'debug.rowsForUnknownTable': '为表 {{table}} 提供了数据行，但脚本没有声明这个表',
  'debug.noColumns': '第 {{line}} 行：表 {{table}} 没有声明列，调试运行无法为它生成数据行',
  'debug.nothingToShow': '脚本中既没有 INSERT 也没有查询，调试运行没有可显示的内容',
  'debug.timeLimit': '已达到 {{seconds}} 秒的时间上限',
  'debug.rowLimit': '已达到 {{rows}} 行的行数上限',
  'debug.stoppedOnRequest': '已按请求停止',
  'debug.platformStopping': '平台正在停止',
  'debug.queriesEnded': '所有查询都已结束',
  'debug.statementFailed': '第 {{line}} 行的语句在沙箱中失败',
  'debug.redeclaredStatementFailed': '第 {{line}} 行的语句在沙箱中失败（按调试运行重新声明后）',
  'debug.queryFailed': '{{sink}} 的查询失败',
  'debug.failedWith': '{{reason}}：{{problem}}',
  'proxy.applicationTarget':
    '{{target}} 上每个作业在自己的集群中运行：作业运行期间，可在 /flink/{{target}}/<作业>/ 打开该作业的 Flink Web UI（作业页面有链接）',
  'proxy.noJobThere': '{{target}} 上没有作业 {{job}}：`sluice job list` 会列出每个作业及其目标',
  'proxy.jobClusterNotRunning':
    '作业 {{job}} 在 {{target}} 上运行于自己的 Flink 集群中，而该集群现在没有运行（作业处于 {{state}}）：只有作业运行期间才有它的 Flink Web UI。请启动作业（`sluice job start {{job}}`）；它做过什么可在 Sluice 的作业页面、提交记录和集群日志中查看',
  'proxy.badEncoding': '/flink/{{target}}/{{path}}：路径不是有效的百分号编码',
  'proxy.dotSegments':
    "/flink/{{target}}/{{path}}：含点段（'.' 或 '..'）的路径不会转发给 Flink；请直接指明资源",
  'proxy.clusterSilent': '{{target}} 的集群在 {{url}} 无应答：{{detail}}',
  'proxy.unknownEngine':
    '/flink/{{target}}/ 是 Sluice 提供的 Flink Web UI 只读视图，但 Sluice 不知道 Flink {{engine}} 的 REST API 中哪些请求只读（它了解 Flink {{known}}）：{{target}} 的集群的内容不会通过它显示。请使用 Sluice 自己的页面和命令管理该集群。',
  'proxy.refused':
    '/flink/{{target}}/ 是 Sluice 提供的 Flink Web UI 只读视图：这里拒绝{{what}}，以便每一次变更都由 Sluice 执行并记录。{{instead}}',
  'proxy.refusedNotOurs':
    '/flink/{{target}}/ 是 Sluice 提供的 Flink Web UI 只读视图：这里拒绝{{what}}，以便每一次变更都由 Sluice 执行并记录。{{instead}}Flink 作业 {{flinkJobId}} 不是 {{target}} 上 Sluice 的作业。',
  'proxy.job': '作业「{{job}}」（Flink 作业 {{flinkJobId}}）',
  'proxy.flinkJob': 'Flink 作业 {{flinkJobId}}',
  'proxy.cancel': '取消{{flinkJob}}',
  'proxy.stop': '停止{{flinkJob}}',
  'proxy.savepoint': '为{{flinkJob}}触发保存点',
  'proxy.checkpoint': '为{{flinkJob}}触发检查点',
  'proxy.rescale': '调整{{flinkJob}}的并行度',
  'proxy.submit': '提交作业或上传、运行、删除 JAR',
  'proxy.shutdown': '关闭 {{target}} 的集群',
  'proxy.disposeSavepoint': '删除保存点',
  'proxy.deleteDataset': '删除集群数据集',
  'proxy.profile': '启动性能分析器',
  'proxy.client': 'Flink 客户端的请求',
  'proxy.otherRequest': '{{method}} {{path}}（在 Flink {{engine}} 的 REST API 中不是只读请求）',
  'proxy.insteadCancel': '请在 Sluice 中取消：作业页面上的「取消作业」，或 `sluice job cancel {{job}}`。',
  'proxy.insteadStop': '请在 Sluice 中带保存点停止：作业页面上的「停止」，或 `sluice job stop {{job}}`。',
  'proxy.insteadSavepoint': '请用 `sluice job savepoint {{job}}` 生成。',
  'proxy.insteadCheckpoint':
    '检查点遵循作业的检查点设置（Sluice 中的“资源与配置”）；如需立即生成快照，请生成保存点：`sluice job savepoint {{job}}`。',
  'proxy.insteadRescale':
    '请在 Sluice 中修改它的并行度（“资源与配置”，或 `sluice job edit {{job}} --parallelism <n> -m <why>`），再用 `sluice job upgrade {{job}}` 生效。',
  'proxy.insteadSubmit':
    'Sluice 运行 SQL 作业：请在 Sluice 中创建作业（“新建作业”，或 `sluice job create`）并在那里启动。',
  'proxy.insteadShutdown': '请在 Sluice 中停止：`sluice cluster stop {{target}}`。',
  'proxy.insteadDisposeSavepoint':
    'Sluice 自行保留和删除作业的保存点：`sluice job savepoints <job>` 会列出它们。',
  'proxy.insteadReadOnly': '只有读取请求可以通过它。',
  'proxy.insteadOther': '只有读取请求可以通过它；变更请在 Sluice 中进行。',
  'operation.notFound': '操作「{{id}}」不存在',
  'platform.closing': '平台正在关闭',
  'platform.unexpected': '{{detail}}',
  'request.invalid': '{{where}}：{{problem}}',
  'request.required': '{{where}} 缺少属性 {{property}}',
  'request.additionalProperties': '{{where}} 不能有属性 {{property}}',
  'request.type': '{{where}} 必须是 {{type}}',
  'request.minLength': '{{where}} 至少需要 {{limit}} 个字符',
  'request.maxLength': '{{where}} 最多 {{limit}} 个字符',
  'request.minimum': '{{where}} 不能小于 {{limit}}',
  'request.maximum': '{{where}} 不能大于 {{limit}}',
  'request.pattern': '{{where}} 必须符合 {{pattern}}',
  'request.flinkVersion': '{{where}} 必须是 Flink 版本号，例如 1.20 或 1.20.3',
  'request.memorySize': '{{where}} 必须是以整数单位表示的内存大小（Flink 的写法），例如 1536m、1536 mb 或 2g',
  'request.oneOf': '{{where}} 必须是允许的形式之一',
  'request.hostRefused':
    '本服务不响应主机名 {{name}}（防范 DNS 重绑定）：请通过 localhost 或 IP 地址访问；若 Sluice 以该名称对外提供（反向代理、DNS 名称），请把 {{name}} 加入 SLUICE_ALLOWED_HOSTS。',
  'request.originRefused':
    '已拒绝 {{method}} {{path}}：请求来自 {{origin}} 的页面，而不是本服务的控制台（{{own}}）。其他站点的网页不能在这里做任何更改；如果 {{origin}} 是你信任的前端，请把它加入 SLUICE_ALLOWED_ORIGINS。',
  'request.originHidden':
    '已拒绝 {{method}} {{path}}：请求来自浏览器未指明来源的页面（{{said}}），而不是本服务的控制台。其他站点的网页不能在这里做任何更改；只有 SLUICE_ALLOWED_ORIGINS 中列出的来源可以。',
  'request.preflightRefused':
    '不允许来自 {{origin}} 的跨源请求：只有本服务的控制台可以从浏览器调用 API。如果 {{origin}} 是你信任的前端，请把它加入 SLUICE_ALLOWED_ORIGINS。',
  'request.userClaimInvalid':
    '请求头 x-sluice-user：{{value}} 不是用户名（1 到 64 个字母、数字或 . _ @ $ -）；它从不作为操作者记录（凭据才说明你是谁），请发送操作系统用户名，或不发送',
  'server.exposedWithoutTls':
    'Sluice 监听在 {{host}}，其他机器可以访问，且使用明文 HTTP：密码、API 令牌和会话 Cookie 会以明文穿过网络。请在前面放一个提供 HTTPS 的反向代理，或监听 127.0.0.1（SLUICE_HOST 或 --host）。',
  'audit.timeInvalid':
    '{{field}} {{value}} 不是一个存在的时间：请给出 ISO 8601 时间，例如 2026-12-04T10:00:00Z',
  'access.unauthenticated':
    '{{method}} {{path}} 需要凭据：请发送 API 令牌（Authorization: Bearer slu_...，由 sluice login 或 sluice token create 创建），或登录控制台',
  'access.tokenRefused':
    '{{method}} {{path}}：API 令牌 {{id}} {{reason}}；请重新登录（sluice login）或创建新令牌（sluice token create）',
  'access.tokenUnknown':
    '{{method}} {{path}}：该 API 令牌不是本服务签发的（或已随其用户删除）；请用 sluice login 重新登录',
  'access.sessionEnded': '{{method}} {{path}}：控制台会话已结束，请重新登录',
  'access.scopeMissing':
    '{{method}} {{path}} 会做更改，而 API 令牌 {{id}} 只能读取：请使用未加 --read-only 创建的令牌',
  'access.adminOnly': '{{method}} {{path}} 仅限平台管理员；{{user}} 不是管理员',
  'space.nameInvalid':
    "'{{name}}' 不是空间名：请使用 1 到 63 个小写字母、数字或 '-'，并以字母或数字开头和结尾",
  'space.notFound': "空间 '{{space}}' 不存在：请查看 `sluice space list`，或请平台管理员创建",
  'space.exists': "空间 '{{space}}' 已存在",
  'space.notEmpty': "空间 '{{space}}' 中仍有 {{things}}：请先删除或移走它们",
  'space.defaultKept': "空间 'default' 是未指定空间时的归属：不能删除",
  'space.memberNotFound': "{{user}} 不是空间 '{{space}}' 的成员",
  'space.userNotFound': "用户 '{{user}}' 不存在：请用 `sluice user add {{user}}` 添加",
  'space.refused':
    "{{method}} {{path}} 需要在空间 '{{space}}' 中{{action}}（角色 {{needed}} 或更高）；{{user}} 在该空间是 {{role}}",
  'space.hidden': "{{kind}} '{{name}}' 不存在，或位于 {{user}} 不是成员的空间中",
  'space.elsewhere':
    "{{kind}} '{{name}}' 位于空间 '{{space}}'，而不是 '{{asked}}'：它留在原空间（不填 space，或先在原空间删除）",
  'space.nameTaken': "{{kind}} '{{name}}' 已存在于 {{user}} 不是成员的空间中：请换一个名称",
  'space.buildNeedsName':
    "name：请为构建产生的制品命名，使其落入空间 '{{space}}'（只有平台管理员可以由构建决定名称）",
  'space.foreignReference':
    "{{kind}} '{{name}}' 不在空间 '{{space}}' 中：在一个空间中创建或运行的内容只能使用该空间的内容",
  'space.notMember': '非成员',
  'space.fileFolderRelative':
    "folders：'{{entry}}' 不是绝对路径的文件夹：请给出集群所在机器上的绝对路径文件夹，例如 /srv/flink-files/{{space}}",
  'access.signInFailed': '用户名或密码错误',
  'access.userNameInvalid':
    "'{{name}}' 不是用户名：请使用 1 到 64 个小写字母、数字、'.'、'_' 或 '-'，并以字母开头",
  'access.passwordTooShort': '密码至少需要 {{min}} 个字符',
  'access.tokenNameInvalid':
    "'{{name}}' 不是令牌名称：请使用 1 到 64 个字母、数字、空格及 . _ @ : -，并以字母或数字开头",
  'access.expiresInvalid': "'{{value}}' 不是有效期：请写数字加 h、d 或 w（小时、天、周），例如 30d",
  'access.userExists': '用户 {{name}} 已存在：sluice user list 列出用户',
  'access.userNotFound': '用户 {{name}} 不存在：sluice user list 列出用户',
  'access.tokenNotFound': 'API 令牌 {{id}} 不是你的：sluice token list 列出你的令牌',
  'access.lastAdmin': '用户 {{name}} 是最后一个平台管理员：请先添加另一个管理员再删除它',
  'access.currentPasswordWrong':
    '当前密码不正确：未做任何修改；请输入你现在登录用的密码（忘记了：平台管理员可用 sluice user passwd {{name}} 设置新密码）',
  'access.passwordUnchanged': '新密码与当前密码相同：未做任何修改；请换一个',
  'access.noPasswordYet':
    '用户 {{name}} 在 Sluice 中没有密码（只用 API 令牌登录），因此没有可提供的当前密码：请平台管理员设置一个（sluice user passwd {{name}}，或控制台的“用户”页面）',
  'config.ldapNoUrl':
    '已设置 {{given}}，但未设置 SLUICE_LDAP_URL：要通过 LDAP 登录，请把 SLUICE_LDAP_URL 设为目录地址（例如 ldaps://ldap.example.com）；只用本地用户则取消所有 SLUICE_LDAP_* 变量',
  'config.ldapBadUrl':
    "SLUICE_LDAP_URL：'{{url}}' 不是 LDAP URL：请写 ldap:// 或 ldaps://、主机名，非默认端口时加端口，例如 ldaps://ldap.example.com:636（不含路径和凭证：查询账号写在 SLUICE_LDAP_BIND_DN）",
  'config.ldapMissing':
    '已设置 SLUICE_LDAP_URL，但未设置 {{variable}}：LDAP 登录需要查询账号（SLUICE_LDAP_BIND_DN 以及 SLUICE_LDAP_BIND_PASSWORD 或 SLUICE_LDAP_BIND_PASSWORD_FILE）和用户所在位置（SLUICE_LDAP_USER_BASE，例如 ou=people,dc=example,dc=com）',
  'config.ldapBadDn':
    "{{variable}}：'{{value}}' 不是可分辨名称（DN）：请写以逗号分隔的 属性=值，例如 ou=people,dc=example,dc=com",
  'config.ldapPasswordTwice':
    '同时设置了 SLUICE_LDAP_BIND_PASSWORD 和 SLUICE_LDAP_BIND_PASSWORD_FILE：只保留其一（文件可让密码不出现在环境变量中）',
  'config.ldapNoPassword':
    '未设置 SLUICE_LDAP_BIND_PASSWORD：请在此给出 SLUICE_LDAP_BIND_DN 的密码，或在 SLUICE_LDAP_BIND_PASSWORD_FILE 中给出存放密码的文件路径',
  'config.ldapEmptyPasswordFile':
    'SLUICE_LDAP_BIND_PASSWORD_FILE：{{file}} 是空的：请在其中写入 SLUICE_LDAP_BIND_DN 的密码',
  'config.ldapPasswordFileUnreadable':
    'SLUICE_LDAP_BIND_PASSWORD_FILE：无法读取 {{file}}（{{detail}}）：请给出本服务可读、存放 SLUICE_LDAP_BIND_DN 密码的文件路径',
  'config.ldapBadFilter':
    "SLUICE_LDAP_USER_FILTER：'{{value}}' 不是含 {user} 的过滤器：请写带括号的 LDAP 过滤器，用 {user} 代表用户名，例如 (uid={user}) 或 (&(objectClass=person)(sAMAccountName={user}))",
  'config.ldapAdminOutside':
    'SLUICE_LDAP_ADMIN_GROUP：{{adminGroup}} 不在 SLUICE_LDAP_GROUP_BASE（{{groupBase}}，查找组的位置）之下：请把 SLUICE_LDAP_GROUP_BASE 设为包含它的位置，或取消设置以在管理员组的上级下查找',
  'ldap.unavailable':
    '位于 {{url}} 的 LDAP 目录无应答（{{detail}}）：请检查它是否运行、本服务能否访问它（SLUICE_LDAP_URL、防火墙、ldaps 的 TLS 证书）；本地用户仍可登录',
  'ldap.bindRefused':
    '位于 {{url}} 的 LDAP 目录拒绝了查询账号 {{bindDn}}（{{detail}}）：请检查 SLUICE_LDAP_BIND_DN 及其密码（SLUICE_LDAP_BIND_PASSWORD 或 SLUICE_LDAP_BIND_PASSWORD_FILE）',
  'ldap.searchFailed':
    '位于 {{url}} 的 LDAP 目录无法查找 {{base}}（{{detail}}）：请检查 SLUICE_LDAP_USER_BASE、SLUICE_LDAP_USER_FILTER 和 SLUICE_LDAP_GROUP_BASE，以及查询账号是否有读取权限',
  'access.ldapNoPassword': '用户 {{name}} 通过 LDAP 登录：密码由目录管理，Sluice 不保存；请在目录中修改',
  'config.groupRolesNotJson':
    '{{variable}} 不是以组为键的 JSON 对象（{{detail}}）：请为每个组写出它在哪些空间授予什么角色，例如 {"cn=flink-dev,ou=groups,dc=example,dc=org": {"team-a": "developer"}}（OIDC 写 groups 声明的值：{"flink-dev": {"team-a": "developer"}}）',
  'config.groupRolesTwice': '同时设置了 {{variable}} 和 {{variable}}_FILE：只保留其一',
  'config.groupRolesFileUnreadable':
    '{{variable}}_FILE：无法读取 {{file}}（{{detail}}）：请给出本服务可读、存放组与空间角色 JSON 对象的文件路径',
  'config.groupRolesBadDn':
    "{{variable}}：'{{group}}' 不是组的可分辨名称（DN）：请按目录中的写法写组的 DN，例如 cn=flink-dev,ou=groups,dc=example,dc=org",
  'config.groupRolesBadGroup':
    "{{variable}}：'{{group}}' 不是组：请按提供方给出的样子写其 groups 声明（{{claim}}）的值，例如 flink-dev",
  'config.groupRolesSameGroup':
    "{{variable}}：'{{group}}' 与 '{{other}}' 是同一个组：请只写一次，列出它授予角色的全部空间",
  'config.groupRolesGroupTwice':
    "{{variable}}：组 '{{group}}' 写了两次，JSON 只保留最后一次：请只写一次，列出它授予角色的全部空间",
  'config.groupRolesSpaceTwice':
    "{{variable}}：组 '{{group}}' 两次给出空间 '{{space}}'，JSON 只保留最后一次：请只保留它在该空间应授予的一个角色",
  'config.groupRolesBadSpaces':
    '{{variable}}：组 \'{{group}}\' 未授予任何角色：请以对象写出空间及其角色，例如 {"team-a": "developer"}',
  'config.groupRolesBadSpace':
    "{{variable}}：组 '{{group}}'：'{{space}}' 不是空间名（小写字母、数字和 '-'，1 到 63 个字符）",
  'config.groupRolesBadRole':
    "{{variable}}：组 '{{group}}'、空间 '{{space}}'：'{{role}}' 不是角色：请给出 {{roles}} 之一（平台管理员由管理员组设置决定）",
  'access.groupRolesNoSpace':
    "{{variable}} 让组 '{{group}}' 在空间 '{{space}}' 中获得角色，但该空间不存在：请创建它（sluice space create {{space}}）或修改映射；在此之前该组成员在其中没有角色",
  'config.ldapBadDepth':
    "SLUICE_LDAP_GROUP_DEPTH：'{{value}}' 不是深度：请给出追踪组中组的层数，0（只看直接包含用户的组）到 20；默认 5",
  'access.noDirectory': '未设置 LDAP 目录（SLUICE_LDAP_URL）：没有可重新查询的 LDAP 用户',
  'access.directoryLastAdmin':
    '{{directory}} 的 LDAP 目录中已没有用户 {{name}}，但它是最后一个平台管理员：它被保留，以使平台仍有管理员；请先设置另一位管理员，再删除它（sluice user remove {{name}}）',
  'config.ldapBadSyncInterval':
    "SLUICE_LDAP_SYNC_INTERVAL：'{{value}}' 不是时间间隔：请给出带单位、至少一分钟的时长，例如 15m、1h 或 1d；或 0（或 off）表示只在登录时查询目录；默认 15m",
  'config.ldapBadStartTls': "SLUICE_LDAP_STARTTLS：'{{value}}' 既不是 true 也不是 false",
  'config.ldapStartTlsOnLdaps':
    'SLUICE_LDAP_STARTTLS 为 true，但 SLUICE_LDAP_URL（{{url}}）是 ldaps://，一开始就是 TLS：要用 StartTLS 升级请给出 ldap:// URL，或取消 SLUICE_LDAP_STARTTLS',
  'config.ldapCaWithoutTls':
    '设置了 SLUICE_LDAP_CA_FILE，但到 {{url}} 的连接不是 TLS：请使用 ldaps:// URL，或设置 SLUICE_LDAP_STARTTLS=true 以 StartTLS 升级 ldap://',
  'config.ldapCaFileUnreadable':
    'SLUICE_LDAP_CA_FILE：无法读取 {{file}}（{{detail}}）：请给出签发目录证书的证书颁发机构的 PEM 文件路径',
  'ldap.tlsRefused':
    '位于 {{url}} 的 LDAP 目录的 TLS 证书不受信任（{{detail}}）：未登录任何人；请在 SLUICE_LDAP_CA_FILE（PEM）中给出签发它的证书颁发机构，并检查证书是否包含 SLUICE_LDAP_URL 的主机名',
  'ldap.tlsRequired':
    '位于 {{url}} 的 LDAP 目录只接受 TLS 上的绑定（{{detail}}）：未登录任何人；请设置 SLUICE_LDAP_STARTTLS=true 升级连接（若其证书不是由系统 CA 签发，再设置 SLUICE_LDAP_CA_FILE），或使用 ldaps:// URL',
  'ldap.startTlsRefused':
    '位于 {{url}} 的 LDAP 目录拒绝了 StartTLS（{{detail}}）：未登录任何人；请检查目录是否配置了证书和私钥（olcTLSCertificateFile、olcTLSCertificateKeyFile），或取消 SLUICE_LDAP_STARTTLS',
  'config.oidcNoIssuer':
    '已设置 {{given}}，但未设置 SLUICE_OIDC_ISSUER：要通过 OpenID Connect 登录，请把 SLUICE_OIDC_ISSUER 设为提供方的 issuer（例如 https://login.example.com/realms/main）；否则取消所有 SLUICE_OIDC_* 变量',
  'config.oidcBadIssuer':
    "SLUICE_OIDC_ISSUER：'{{url}}' 不是 issuer URL：请写提供方自称的 https:// URL（其发现文档位于 /.well-known/openid-configuration），不含查询参数和凭证；只有本机（127.0.0.1、localhost）可用 http://",
  'config.oidcMissing':
    '已设置 SLUICE_OIDC_ISSUER，但未设置 {{variable}}：OpenID Connect 登录需要 Sluice 在提供方注册的客户端（SLUICE_OIDC_CLIENT_ID，以及 SLUICE_OIDC_CLIENT_SECRET 或 SLUICE_OIDC_CLIENT_SECRET_FILE）',
  'config.oidcSecretTwice':
    '同时设置了 SLUICE_OIDC_CLIENT_SECRET 和 SLUICE_OIDC_CLIENT_SECRET_FILE：只保留其一（文件可让密钥不出现在环境变量中）',
  'config.oidcNoSecret':
    '未设置 SLUICE_OIDC_CLIENT_SECRET：请在此给出客户端 SLUICE_OIDC_CLIENT_ID 的密钥，或在 SLUICE_OIDC_CLIENT_SECRET_FILE 中给出存放密钥的文件路径',
  'config.oidcEmptySecretFile':
    'SLUICE_OIDC_CLIENT_SECRET_FILE：{{file}} 是空的：请在其中写入客户端 SLUICE_OIDC_CLIENT_ID 的密钥',
  'config.oidcSecretFileUnreadable':
    'SLUICE_OIDC_CLIENT_SECRET_FILE：无法读取 {{file}}（{{detail}}）：请给出本服务可读、存放客户端 SLUICE_OIDC_CLIENT_ID 密钥的文件路径',
  'config.oidcBadScopes':
    "SLUICE_OIDC_SCOPES：'{{value}}' 不是包含 openid 的 scope 列表：请用空格分隔，例如 'openid profile email groups'",
  'config.oidcBadClaim':
    "{{variable}}：'{{value}}' 不是声明（claim）名称：请写提供方 ID 令牌或 userinfo 中的声明名，例如 preferred_username、email 或 groups",
  'config.oidcBadRedirect':
    "SLUICE_OIDC_REDIRECT_URL：'{{url}}' 不是本服务的回调地址：请写浏览器访问它的 https:// URL，以 {{path}} 结尾（只有本机可用 http://），并在提供方登记为该客户端的重定向 URI；不设置时按每个请求的来源生成",
  'oidc.unavailable':
    'OpenID Connect 提供方 {{issuer}} 无应答（{{detail}}）：请检查它是否运行、本服务能否访问它（SLUICE_OIDC_ISSUER、防火墙、TLS 证书）；未登录任何人，使用密码或令牌的用户仍可登录',
  'oidc.refused':
    'OpenID Connect 提供方 {{issuer}} 拒绝了此次登录（{{error}}）：未登录任何人；请从控制台登录页重新开始，若再次发生请检查提供方的客户端设置（SLUICE_OIDC_CLIENT_ID、其密钥和重定向 URI）',
  'oidc.tokenRefused':
    'OpenID Connect 提供方 {{issuer}} 的应答未通过检查（{{detail}}）：未登录任何人；请从控制台登录页重新开始，若再次发生请检查提供方的签名密钥和时钟，以及 SLUICE_OIDC_CLIENT_ID',
  'oidc.stateMismatch':
    '此次登录的 state 与本浏览器发起时的不同（在别处发起的登录，或伪造的链接）：未登录任何人；请从控制台登录页重新开始',
  'oidc.noFlow':
    '本浏览器没有发起 OpenID Connect 登录（其登录 Cookie 缺失或被改动）：未登录任何人；请从控制台登录页开始',
  'oidc.flowExpired': '此次 OpenID Connect 登录发起已超过 10 分钟：未登录任何人；请从控制台登录页重新开始',
  'oidc.notConfigured':
    '本服务未设置 OpenID Connect 登录：请设置 SLUICE_OIDC_ISSUER、SLUICE_OIDC_CLIENT_ID 和 SLUICE_OIDC_CLIENT_SECRET（见 README：OpenID Connect sign-in），或用用户名和密码登录',
  'oidc.noUserName':
    "提供方对主体 '{{subject}}' 的应答中没有可作为 Sluice 用户名的 {{claim}} 声明：请把 SLUICE_OIDC_USERNAME_CLAIM 设为它提供的声明（例如 preferred_username 或 email），或在 SLUICE_OIDC_SCOPES 中请求携带该声明的 scope",
  'oidc.badUserName':
    "{{claim}} 声明 '{{value}}' 不是 Sluice 用户名（1 到 64 个小写字母、数字、'.'、'_' 或 '-'，以字母开头）：请把 SLUICE_OIDC_USERNAME_CLAIM 设为取值符合要求的声明",
  'oidc.nameTaken':
    'Sluice 用户 {{name}} 以 {{source}} 用户登录：{{claim}} 为 {{name}} 的 OpenID Connect 用户不能以它登录；管理员可删除该用户（sluice user remove {{name}}）以让提供方的用户登录',
  'oidc.subjectChanged':
    "Sluice 用户 {{name}} 由另一个 OpenID Connect 身份创建，而非主体 '{{subject}}'（其 {{claim}} 现为 {{name}}）：未登录任何人；提供方允许修改（或仅大小写不同）的名称声明不能接管用户。若提供方账号确实变更，管理员可删除该用户（sluice user remove {{name}}）",
  'access.oidcNoPassword':
    '用户 {{name}} 通过 OpenID Connect 登录：密码由提供方管理，Sluice 不保存；请在提供方修改',
  'config.allowedFilePathRelative':
    "SLUICE_ALLOWED_FILE_PATHS：'{{entry}}' 不是绝对路径的文件夹：请给出以逗号分隔的绝对路径文件夹，例如 /srv/flink-files,/data/exports",
  'config.allowedHostInvalid':
    "SLUICE_ALLOWED_HOSTS：'{{entry}}' 不是主机名：只写名称（任何端口都会响应），例如 sluice.example.com，或用 .example.com 表示其所有子域名",
  'config.allowedOriginEveryone':
    "SLUICE_ALLOWED_ORIGINS：'{{entry}}' 会让任何网站都能在这里修改作业；请列出你信任的前端的来源，例如 https://ops.example.com",
  'config.allowedOriginInvalid':
    "SLUICE_ALLOWED_ORIGINS：'{{entry}}' 不是来源（origin）：只写协议、主机和端口，例如 https://ops.example.com",
  'config.s3Incomplete':
    '已设置 {{given}}，但未设置 {{missing}}：S3 制品存储需要端点（例如 http://minio.example.com:9000 或 https://s3.eu-west-1.amazonaws.com）和存储桶；请设置它，或取消所有 SLUICE_ARTIFACT_S3_* 变量以把制品保存在 SLUICE_HOME 下',
  'config.s3CredentialsHalf':
    '已设置 {{given}}，但未设置 {{missing}}：请同时提供访问密钥 ID 和秘密访问密钥，或都不提供以使用 AWS SDK 自己的凭证（AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY、~/.aws/credentials、实例角色）',
  'config.s3BadEndpoint':
    "SLUICE_ARTIFACT_S3_ENDPOINT：'{{endpoint}}' 不是不含凭证的 http(s) URL：请给出端点的协议、主机和端口，例如 http://minio.example.com:9000（凭证放在 SLUICE_ARTIFACT_S3_ACCESS_KEY_ID 和 SLUICE_ARTIFACT_S3_SECRET_ACCESS_KEY 中）",
  'config.flinkRestTls':
    "SLUICE_FLINK_REST_TLS：'{{value}}' 不是有效设置：不设置（或写 on）让本地集群以只对 Sluice 开放的 TLS 提供 REST API 与 SQL Gateway，写 off 则使用明文 HTTP",
  'config.classSharing':
    "SLUICE_CDS：'{{value}}' 不是有效设置：不设置（或写 on）让 Sluice 在本机启动的 JVM 通过保存在 SLUICE_CDS_DIR 中的归档共享类数据，写 off 则不使用",
  'config.prometheusMode':
    "SLUICE_PROMETHEUS：'{{value}}' 不是有效设置：不设置（或写 embedded）使用 Sluice 自己运行的 Prometheus，写 off 表示不使用，或改为设置 SLUICE_PROMETHEUS_URL 以使用你自己的 Prometheus",
  'config.prometheusConflict':
    'SLUICE_PROMETHEUS 为 {{mode}}，同时设置了 SLUICE_PROMETHEUS_URL（{{url}}）：该 URL 指向你自己的 Prometheus，Sluice 不再运行 Prometheus；请取消其中一个',
  'config.prometheusBadUrl':
    "SLUICE_PROMETHEUS_URL：'{{url}}' 不是不含凭证的 http(s) URL：请给出 Prometheus 的协议、主机、端口以及路径前缀（如有），例如 http://prometheus.example.com:9090",
  'config.prometheusBadDuration':
    "{{variable}}：'{{value}}' 不是大于零的 Prometheus 时长：用数字加单位（y、w、d、h、m、s、ms）从大到小书写，例如 15d、12h 或 1w3d",
  'config.prometheusBadPort':
    "SLUICE_PROMETHEUS_PORT：'{{value}}' 不是端口：请给出 1 到 65535，或 0 表示每次启动时选一个空闲端口",
  'prometheus.off':
    '未使用 Prometheus（SLUICE_PROMETHEUS=off）：取消 SLUICE_PROMETHEUS 以使用 Sluice 运行的 Prometheus，或设置 SLUICE_PROMETHEUS_URL 使用你自己的',
  'prometheus.notStarted': '内置 Prometheus 尚未启动（API 开始监听后启动）',
  'prometheus.starting': '内置 Prometheus 正在 {{url}} 启动',
  'prometheus.exited': '内置 Prometheus 已退出（{{status}}）；日志为 {{logFile}}，最后几行：\n{{log}}',
  'prometheus.restarting':
    '内置 Prometheus 已退出（{{status}}），{{seconds}} 秒后在 {{url}} 重新启动（Sluice 启动以来第 {{count}} 次重启）；日志为 {{logFile}}，最后几行：\n{{log}}',
  'prometheus.notReady': '{{url}} 上的 Prometheus 未就绪：{{detail}}',
  'prometheus.cannotStart': '内置 Prometheus 无法启动：{{detail}}',
  'prometheus.queryRefused': '{{url}} 上的 Prometheus 拒绝了查询 {{query}}：{{detail}}',
  'prometheus.queryUnanswered': '{{url}} 上的 Prometheus 没有应答查询 {{query}}：{{detail}}',
  'prometheus.podGone':
    '目标 {{target}} 的 Pod {{pod}} 已不在命名空间 {{namespace}} 中：{{detail}}；服务发现（/api/v1/prometheus/pod-targets）列出正在运行的 Pod',
  'prometheus.podNotReporting':
    'Pod {{pod}} 不是目标 {{target}} 在命名空间 {{namespace}} 中处于 Running 且 Ready、带 Prometheus reporter 的 JobManager 或 TaskManager；服务发现（/api/v1/prometheus/pod-targets）列出符合条件的 Pod',
  'prometheus.notKubernetesTarget':
    '目标 {{target}} 是 {{kind}} 目标，不是 Kubernetes 目标：只有 Kubernetes 目标的 Pod 经由 Sluice 抓取（本地进程在其自身地址抓取，/api/v1/prometheus/targets）',
  'prometheus.reloadNotOurs':
    '{{url}} 上的 Prometheus 不由 Sluice 运行（SLUICE_PROMETHEUS_URL）：请自行重新加载其配置',
  'prometheus.reloadRefused': '内置 Prometheus 拒绝了新配置 {{configFile}}：{{detail}}',
  'secret.tooShort': '它只有 {{length}} 个字符，少于 {{min}} 个',
  'secret.noLetters': '它只含数字和标点',
  'secret.commonWord': '它是常见单词或编程记号',
  'variable.secretRefused':
    'value：变量 {{name}} 不能作为机密变量：{{why}}，会出现在普通文本中，屏蔽它会连带遮住这些文本；请使用更长的随机值（例如 `openssl rand -base64 24`）',
  'variable.secretWeak':
    '机密变量 {{name}} 强度不足：{{why}}；它出现的每一处都会被屏蔽，包括普通文本：请设置更长的随机值',
  'job.secretInOptionKey': 'options：键 {{key}} 含有机密变量 {{variable}} 的值，而此处无法使用引用：请删除它',
  'job.secretInField': '{{field}}：含有机密变量 {{variable}} 的值，而此处无法使用引用：请删除它',
  'request.maxItems': '{{where}} 最多 {{limit}} 项',
  'request.maxProperties': '{{where}} 最多 {{limit}} 个属性',
  'request.targetTwice':
    'target「{{target}}」与 {{alias}}「{{given}}」不一致：{{alias}} 是 target 已弃用的旧名，请只给出 target',
  'request.propertyName': '{{where}} 的属性名「{{property}}」{{problem}}',
  'request.noRoute': '没有路由 {{method}} {{url}}：API 的全部操作见 /api/openapi.json',
  'request.methodNotAllowed': '{{path}} 不接受 {{method}}：请用 {{allowed}}',
  'request.payloadTooLarge':
    '请求体超过 API 接受的上限 {{limit}} 字节：请发送更小的请求体（脚本最多 {{sqlLimit}} 个字符）',
  'request.uriTooLong': 'URL 长 {{length}} 个字符，超过 API 接受的 {{limit}} 个：请把长的值放进 JSON 请求体',
  'request.pathSegmentTooLong': '路径 {{path}} 中有一段超过 {{limit}} 个字符，比 API 的任何名称都长',
  'request.headersTooLarge': '请求行和请求头超过服务器读取的上限 {{limit}} 字节：请把长的值放进 JSON 请求体',
  'request.unsupportedMediaType':
    '{{method}} {{path}} 接受 JSON 请求体，而不是「{{type}}」：请以 content-type application/json 发送',
  'request.malformedJson': '请求体不是有效的 JSON：{{detail}}',
  'request.emptyJsonBody':
    '请求体为空，但 content-type 声明为 application/json：请发送一个 JSON 值，或不带 content-type',
  'request.contentLength': '请求体的长度与 Content-Length 请求头不符',
  'request.badUrl': '路径 {{path}} 的百分号编码无效：请用 encodeURIComponent 编码',
  'request.timeout': '未能及时收到请求',
  'request.malformed': '请求不是有效的 HTTP',
  'sql.tooManyStatements':
    '{{field}}：脚本有 {{count}} 条语句，超过单个脚本上限 {{limit}} 条：请拆分为多个作业',
  'catalog.fileOutside':
    "数据目录 {{name}}：选项 '{{option}}' = '{{path}}' 是集群所在机器上、空间 {{space}} 的作业可用文件夹（{{allowed}}）之外的文件：请给出其中某个文件夹下的绝对路径，或请平台管理员把它所在的文件夹加入该空间的文件夹（sluice space folders {{space}} --set {{suggested}}）",
  'sql.setFileOutside':
    "SET '{{option}}' = '{{path}}'（第 {{line}} 行）指向集群所在机器上、空间 {{space}} 的作业可用文件夹（{{allowed}}）之外的文件：请给出其中某个文件夹下的绝对路径，或请平台管理员把它所在的文件夹加入该空间的文件夹（sluice space folders {{space}} --set {{suggested}}）",
  'sql.tableFileOutside':
    "表 {{name}}：选项 '{{option}}' = '{{path}}'（第 {{line}} 行）是集群所在机器上、空间 {{space}} 的作业可用文件夹（{{allowed}}）之外的文件：请给出其中某个文件夹下的绝对路径，或请平台管理员把它所在的文件夹加入该空间的文件夹（sluice space folders {{space}} --set {{suggested}}）",
  'sql.catalogFileOutside':
    "数据目录 {{name}}：选项 '{{option}}' = '{{path}}'（第 {{line}} 行）是集群所在机器上、空间 {{space}} 的作业可用文件夹（{{allowed}}）之外的文件：请给出其中某个文件夹下的绝对路径，或请平台管理员把它所在的文件夹加入该空间的文件夹（sluice space folders {{space}} --set {{suggested}}）",
  'sql.tooLong': '{{field}}：脚本有 {{length}} 个字符，超过单个脚本上限 {{limit}} 个：请拆分为多个作业',
  'job.applicationSlots':
    "options.taskmanager.numberOfTaskSlots：'{{value}}' 不是 1 到 64 之间的整数（作业应用集群中每个 TaskManager 的槽位数）",
  'job.applicationTaskManagers':
    '并行度 {{parallelism}}、每个 TaskManager {{slots}} 个槽位需要 {{taskManagers}} 个 TaskManager，超过了本机应用集群最多的 {{max}} 个：请将 options.taskmanager.numberOfTaskSlots 设为至少 {{least}}',
  'debug.notSqlJob': '作业 {{job}} 是 JAR 作业：调试运行只接受 SQL 作业和脚本',
  'job.neitherSqlNorJar': '作业运行 SQL 脚本或 jar：请提供 sql（--sql-file）或 jar（--jar <制品>[@版本]）',
  'job.bothSqlAndJar':
    '作业运行 SQL 脚本或 jar，不能两者兼有：请只提供 sql（--sql-file）或 jar（--jar <制品>[@版本]）之一',
  'job.classpathOnRemote':
    '类路径制品 {{artifacts}} 无法到达会话集群 {{target}}（其进程不在本机运行）：Flink 不会分发 pipeline.classpaths，每个 JobManager 和 TaskManager 自己读取这些文件，而它们只在本机上。请把这些类打进作业的 jar（一个 fat jar，不再需要类路径），或在 local-session、local-application 或 Kubernetes 目标上运行该作业',
  'job.notJarJob':
    '作业 {{job}} 是 SQL 作业：{{field}} 属于 JAR 作业（用 --jar 指定其 jar，即可从这个版本起把它改为 JAR 作业）',
  'job.notSqlJob':
    '作业 {{job}} 是 JAR 作业：{{field}} 属于 SQL 作业（用 --sql-file 指定其脚本，即可从这个版本起把它改为 SQL 作业）',
  'job.kindChangeWhileLive':
    '作业 {{job}} 处于 {{state}}：只有在它没有任何部分运行时才能改为 {{to}} 作业，因为其 {{from}} 程序的状态无法带到另一种程序中。请先停止（`sluice job stop {{job}}`，保留保存点）或取消它，再保存新版本并启动',
  'job.upgradeAcrossKinds':
    '作业 {{job}} 的版本 {{version}} 是 {{to}} 作业，而运行中的版本 {{deployed}} 是 {{from}} 作业：升级会把状态带到新版本，另一种程序无法接收。请停止它（`sluice job stop {{job}}`），再启动新版本',
  'job.noEntryClass':
    '制品 {{artifact}}@{{version}} 中没有类 {{class}}（{{classes}} 个顶层类）：请检查入口类的名称和包，或上传包含它的 jar',
  'job.badEntryClass': '「{{class}}」不是 Java 类名：请带上包名，如 org.acme.MyJob',
  'job.noMainClass':
    '制品 {{artifact}}@{{version}} 的清单中没有 Main-Class：请用 --entry-class 指定要运行的类',
  'job.argsTooLong':
    '程序参数过长（{{count}} 个参数，{{chars}} 个字符）：最多 {{maxCount}} 个参数，总计 {{maxChars}} 个字符',
  'submission.artifactFileMissing':
    '制品 {{artifact}}@{{version}} 的文件不在制品存储中（{{path}}）：请重新上传',
  'target.noJarRuns': '部署目标 {{target}} 不能运行 jar：它不接受 /jars/upload',
  'lifecycle.jobManagerPodRunning': '集群 {{cluster}} 的 JobManager pod {{pod}} 已处于 Running',
  'lifecycle.taskManagerPodsRunning': '集群 {{cluster}} 的 {{count}} 个 TaskManager pod 已处于 Running',
  'kubernetes.noSharedDir':
    'Kubernetes 部署目标 {{target}} 既没有平台地址（platformUrl）也没有共享目录（sharedDir）：独立集群的 pod 要么由 init 容器从 Sluice 获取作业的 jar，要么从 Sluice 与每个节点以同一路径可见的目录中读取。请用 --platform-url <pod 可访问的 Sluice 地址> 或 --shared-dir <路径> 重新注册该目标',
  'kubernetes.noSavepointDir':
    'Kubernetes 部署目标 {{target}} 没有共享目录（sharedDir），其 pod 无法把保存点写到 Sluice 能读取的位置：请为作业指定双方都能访问的保存点目录（选项 state.savepoints.dir，例如 s3://bucket/savepoints），或用 --shared-dir <路径> 重新注册该目标',
  'kubernetes.noStateOption':
    'Kubernetes 部署目标 {{target}} 没有共享目录（sharedDir），Sluice 无法为 pod 提供选项 {{option}} 的目录：{{why}}。请把 {{option}} 设为每个 pod 都能访问的存储（例如 s3://bucket/flink/{{example}}），设在作业上（--option）或作为目标的默认值（--flink-option），或用 --shared-dir <路径> 重新注册该目标',
  'kubernetes.noClusterView':
    '部署目标 {{target}} 是 {{kind}} 类型：集群视图（等待中的 pod、节点、资源请求）仅适用于 Kubernetes 部署目标',
  'kubernetes.badPlatformUrl':
    '「{{url}}」不是平台地址：请给出 pod 可访问的 Sluice http(s) 地址，不带查询参数或凭据，例如 http://10.0.0.5:8080',
  'kubernetes.badArtifactsFrom':
    '「{{value}}」不是 pod 获取作业 jar 的来源：唯一可选的是 s3（平台的 S3 兼容制品存储桶）；不指定时 jar 来自 --platform-url 或 --shared-dir',
  'kubernetes.s3ArtifactsNotBuilt':
    '部署目标 {{target}}：从 S3 获取 jar（--artifacts-from s3）只支持独立方式的每作业集群，不支持 {{way}} 方式：请用 --mode standalone 且不带会话注册，或使用 --shared-dir',
  'kubernetes.s3ArtifactsWithPlatformUrl':
    '一个部署目标只从一处获取 jar：同时给出了 --artifacts-from s3 和平台地址 {{url}}，请去掉其一',
  'kubernetes.s3EndpointWithoutS3':
    '--s3-endpoint-for-pods {{endpoint}} 指明 pod 访问制品存储桶的地址，只有带 --artifacts-from s3 的部署目标才用它：请加上 --artifacts-from s3 或去掉该选项',
  'kubernetes.badS3EndpointForPods':
    '「{{url}}」不是供 pod 使用的 S3 端点：请给出 pod 可访问的存储桶 http(s) 端点，不带查询参数或凭据，例如 http://minio.storage:9000',
  'kubernetes.noS3ArtifactStorage':
    '部署目标 {{target}} 无法从 S3 获取 jar：本服务器把制品保存在本地磁盘（{{where}}）；请设置 SLUICE_ARTIFACT_S3_ENDPOINT 和 SLUICE_ARTIFACT_S3_BUCKET 启动服务器（见“Artifacts in S3”），或用 --platform-url 或 --shared-dir 注册该目标',
  'artifacts.tokenRefused':
    '该令牌不允许获取提交 {{flinkJobId}} 的制品：{{reason}}；init 容器会从 Sluice 在运行期间续期的 Secret 中取得新令牌',
  'artifacts.noSubmissionArtifacts': '提交 {{flinkJobId}} 在本平台上没有制品（其运行已结束，或从未在此启动）',
  'profile.badName':
    "'{{name}}' 不是有效的配置档名称：请使用小写字母、数字和 '-'（至多 32 个字符，以字母或数字开头和结尾），例如 normal 或 peak",
  'profile.notFound': '作业 {{job}} 没有资源配置档 {{profile}}：sluice job profile list {{job}} 列出其配置档',
  'profile.maxParallelism':
    "选项 'pipeline.max-parallelism' 不能因配置档而不同：作业状态按该数量的 key group 保存，Flink 拒绝将保存点恢复到不同的数量。请在作业版本中设置",
  'profile.switchUnderWay':
    '目标 {{target}} 正在切换到配置档 {{profile}}：请等待切换结束（sluice target profile {{target}} 可查看）',
  'profile.scopeFlags':
    '请只给出 --space SPACE（空间中的每个作业，无论在哪个目标上）或 --target TARGET（目标上的每个作业）之一',
  'profile.spaceSwitchUnderWay':
    '空间 {{space}} 正在切换到配置档 {{profile}}：请等待切换结束（sluice profile status --space {{space}} 可查看）',
  'schedule.badTime':
    '「{{value}}」不是带时区偏移的时间：请用 ISO 8601 格式并带 Z 或 ±hh:mm，例如 2026-11-10T23:00:00+08:00',
  'schedule.badRepeat': '「{{value}}」不是有效的重复方式：请使用 {{repeats}} 之一',
  'schedule.inThePast':
    '{{at}} 已经过去（现在是 {{now}}）：请给出将来的时间，或用 --repeat daily|weekly 定期切换',
  'schedule.unknownProfile':
    '目标 {{target}} 上没有作业具有配置档 {{profile}}（{{known}}）：请先为作业设置该配置档（sluice job profile set JOB {{profile}} --parallelism N）',
  'schedule.noProfiles': '其作业没有任何配置档',
  'schedule.profilesThere': '其作业具有 {{profiles}}',
  'schedule.notFound':
    '目标 {{target}} 没有定时切换 {{id}}：sluice profile schedule list --target {{target}} 列出它们',
  'schedule.spaceUnknownProfile':
    '空间 {{space}} 中没有作业具有配置档 {{profile}}（{{known}}）：请先为作业设置该配置档（sluice job profile set JOB {{profile}} --parallelism N）',
  'schedule.spaceNotFound':
    '空间 {{space}} 没有定时切换 {{id}}：sluice profile schedule list --space {{space}} 列出它们',
  'schedule.spaceMissed':
    '服务器在 {{due}} 时未运行：已晚 {{late}} 分钟，超过 {{limit}} 分钟，因此未切换（可手动切换：sluice profile switch {{profile}} --space {{space}}）',
  'schedule.missed':
    '服务器在 {{due}} 时未运行：已晚 {{late}} 分钟，超过 {{limit}} 分钟，因此未切换（可手动切换：sluice target profile {{target}} {{profile}}）',
  'quota.exceeded':
    '目标 {{target}} 的配额拒绝作业 {{job}}：它申请 {{request}} {{resource}}，上限 {{limit}} 中已使用 {{used}}（由 {{jobs}} 使用）；{{fix}}',
  'quota.spaceExceeded':
    '空间 {{space}} 的配额拒绝作业 {{job}}：它申请 {{request}} {{resource}}，上限 {{limit}} 中已在其各目标上使用 {{used}}（由 {{jobs}} 使用）；{{fix}}',
  'quota.raiseTarget': '请管理员提高配额（sluice target quota {{target}} {{flag}} ...）',
  'quota.raiseSpace':
    '请空间 {{space}} 的所有者或管理员提高其配额（sluice space quota {{space}} {{flag}} ...）',
  'quota.fixCpu':
    '请降低作业的并行度或其选项 kubernetes.taskmanager.cpu / kubernetes.jobmanager.cpu，停止上述作业之一，或{{raise}}',
  'quota.fixMemory':
    '请降低作业的并行度或其选项 taskmanager.memory.process.size / jobmanager.memory.process.size，停止上述作业之一，或{{raise}}',
  'quota.fixSlots': '请降低作业的并行度，停止上述作业之一，或{{raise}}',
  'quota.fixTaskManagers':
    '请降低作业的并行度或提高其选项 taskmanager.numberOfTaskSlots，停止上述作业之一，或{{raise}}',
  'quota.fixJobs': '请停止上述作业之一，或{{raise}}',
  'quota.overRange':
    '目标 {{target}} 允许每个作业最多 {{max}}（{{range}}），此作业申请 {{value}}：请降低，或请管理员放宽范围',
  'quota.unknownField':
    "'{{field}}' 不是配额字段：请给出 cpu、memory、slots、taskManagers、jobs、maxParallelism、maxTaskManagers、maxTaskManagerMemory 或 maxCpuPerPod",
  'quota.notRequested':
    '{{field}}：目标 {{target}}（{{kind}}）的作业不按作业申请它，因此不能在此限制；此目标的配额接受 {{fields}}',
  'quota.badAmount':
    "{{field}}：'{{value}}' 不是正数量（memory：Flink 大小，如 8g；taskManagers、slots、jobs、maxParallelism、maxTaskManagers：整数；cpu：核数，如 0.5）",
  'quota.none': '目标 {{target}} 没有配额：用 sluice target quota {{target}} --slots 16 ... 设置',
  'quota.spaceNone': '空间 {{space}} 没有配额：用 sluice space quota {{space}} --jobs 10 ... 设置',
  'quota.rangeOfTarget':
    '{{field}}：单作业范围属于部署目标（sluice target quota TARGET --max-parallelism ...）；空间 {{space}} 的配额接受 cpu、memory、slots、taskManagers 和 jobs',
  'kubernetes.badNumber': '选项「{{option}}」：「{{value}}」不是正数',
  'kubernetes.badPodOption': '选项「{{option}}」：「{{value}}」：{{problem}}',
  'kubernetes.badPodTemplate': '选项「{{option}}」：pod 模板 {{file}}：{{problem}}',
  'kubernetes.haNeedsServiceAccount':
    '选项「high-availability.type」：kubernetes 高可用需要 JobManager 创建和更新 ConfigMap，命名空间的默认服务账号可能没有这些权限：请用 --service-account <在 {{namespace}} 中绑定了 configmaps create/get/list/watch/update/delete 权限的账号> 重新注册部署目标 {{target}}',
  'kubernetes.nativeUnsupportedVersion':
    'native Kubernetes 方式没有 Flink {{flinkVersion}} 的 Flink Kubernetes 客户端：它支持引擎 {{supported}}；请选择这些引擎之一的部署目标，或使用 standalone 或 operator 方式',
  'kubernetes.nativeClientFailed':
    'Flink 的 Kubernetes 客户端（flink run --target kubernetes-application，在 Sluice 所在的机器上）没有部署集群：{{detail}}',
  'kubernetes.nativeServiceAccountCannot':
    '服务账号 {{serviceAccount}} 在 {{server}}（上下文 {{context}}）的命名空间 {{namespace}} 中不能 {{missing}}：native 方式下 JobManager 以它的身份运行，并创建 TaskManager Pod 和 Kubernetes 高可用 ConfigMap；请授权：kubectl create rolebinding {{serviceAccount}}-edit --clusterrole=edit --serviceaccount={{namespace}}:{{serviceAccount}} -n {{namespace}}',
  'kubernetes.haServiceAccountCannot':
    '服务账号 {{serviceAccount}} 在 {{server}}（上下文 {{context}}）的命名空间 {{namespace}} 中不能 {{missing}}：设置「high-availability.type」：kubernetes 后，JobManager 以它的身份运行，并把 Kubernetes 高可用的 leader 和作业数据保存在 ConfigMap 中；请授权：kubectl create rolebinding {{serviceAccount}}-edit --clusterrole=edit --serviceaccount={{namespace}}:{{serviceAccount}} -n {{namespace}}',
  'kubernetes.badExposure': '选项「{{option}}」：「{{value}}」：{{problem}}',
  'target.noRender':
    '部署目标 {{target}}（{{kind}}）没有可渲染的内容：它的集群不由声明的对象构成。渲染只适用于 Kubernetes 部署目标',
  'kubernetes.podFailing': '集群 {{cluster}} 的 pod {{pod}} 无法运行：{{reason}}：{{detail}}',
  'kubernetes.apiRefused':
    '部署目标 {{target}} 的 Kubernetes API（{{server}}，命名空间 {{namespace}}）拒绝了{{action}}：{{detail}}',
  'job.parallelismOption':
    '选项 parallelism.default 就是作业的并行度字段：请设置并行度（{{min}} 到 {{max}}），而不是该选项',
  'cluster.memoryNotASize':
    '{{field}}：「{{value}}」不是 Flink 能读取的内存大小：请写数字加单位，如 1024m、1536 mb 或 2g',
  'cluster.memoryTooSmall':
    '{{field}}：{{value}} 小于 Flink {{role}} 启动所需的最小值 {{min}}：请至少给 {{min}}',
  'cluster.memoryBareBytes':
    '{{field}}：「{{value}}」没有单位，Flink 会按 {{value}} 字节读取，少于 {{role}} 所需的 {{min}}：是否想写 {{value}}m？',
  'cluster.memoryTooLarge': '{{field}}：{{value}} 超过本机内存（{{machine}}）：最多给 {{machine}}',
  'cluster.memoryTotalTooLarge':
    '集群共需 {{total}} 内存（JobManager {{jobManager}}，{{taskManagers}} 个 TaskManager 各 {{taskManager}}，SQL Gateway {{gateway}}），超过本机的 {{machine}}：请减少 TaskManager 数量或内存',
  'cluster.configKeyInvalid':
    'flinkConfig：键「{{key}}」不是 Flink 选项名：只能用字母、数字、「.」、「-」和「_」（不能有空白、引号或控制字符）',
  'cluster.configKeyOwnField': 'flinkConfig：「{{key}}」由集群的 {{field}} 字段设置：请改为设置 {{field}}',
  'cluster.configKeyLoopback':
    'flinkConfig：不能设置「{{key}}」：Sluice 把每个本地集群绑定到 127.0.0.1，使其无法从本机以外访问',
  'cluster.portOfOtherCluster':
    '{{field}}：端口 {{port}} 已是集群 {{cluster}} 的 {{otherField}}：请换一个端口',
  'cluster.portOfServer': '{{field}}：端口 {{port}} 是 Sluice 自身 API 的端口：请换一个端口',
  'cluster.portInUse': '{{field}}：端口 {{port}} 已被本机上的其他程序占用：请停止该程序，或换一个端口',
  'kubernetes.sessionNeedsSharedDir':
    'Kubernetes 上的会话目标需要共享目录（--shared-dir <路径>，在 Sluice 所在机器和每个节点上是同一个绝对路径）：SQL Gateway 的 jar 以及作业的检查点和保存点都放在那里',
  'kubernetes.sessionNotRunning':
    "Kubernetes 目标 {{target}} 的会话集群状态为 {{state}}：请用 'sluice cluster start {{target}}'（或目标的「启动」按钮）启动它",
  'kubernetes.sessionChangeRunning':
    "Kubernetes 目标 {{target}} 只能在其会话集群停止时修改（当前状态为 {{state}}，集群按注册时的目标创建）：请先用 'sluice cluster stop {{target}}' 停止它，登记修改后再启动",
  'kubernetes.sessionRemoveRunning':
    "Kubernetes 目标 {{target}} 的会话集群仍在运行：请先用 'sluice cluster stop {{target}}' 停止它",
  'kubernetes.sessionHasJobs':
    "Kubernetes 目标 {{target}} 的会话集群上仍在运行作业 {{jobs}}（其 FlinkSessionJob）：请先停止或取消这些作业（'sluice job stop <job>'），再停止会话集群",
  'kubernetes.sessionRunsJobs':
    "Kubernetes 目标 {{target}} 的会话集群仍在运行 Flink 作业 {{jobs}}：请先停止或取消它们（'sluice job stop <job>'），再停止会话",
  'kubernetes.notASession':
    'Kubernetes 目标 {{target}} 让每个作业运行在自己的集群中：它没有可启动或停止的会话集群（用 --session 注册会话目标）',
  'kubernetes.badMode':
    '「{{mode}}」不是在 Kubernetes 上运行作业的方式：请使用 operator、native 或 standalone',
  'kubernetes.badNamespace':
    '「{{namespace}}」不是 Kubernetes 命名空间名称：请使用 DNS-1123 标签（小写字母、数字和「-」，以字母或数字开头和结尾，最多 63 个字符）',
  'kubernetes.kubeconfigNotAbsolute':
    '「{{kubeconfig}}」不是绝对路径：请给出 kubeconfig 文件在 Sluice 服务器所在机器上的完整路径（CLI 会解析相对路径）',
  'kubernetes.contextWithoutKubeconfig':
    '上下文「{{context}}」是 kubeconfig 文件中的上下文，但没有给出 kubeconfig 文件：请加上该文件，或去掉上下文以使用集群内的服务账号',
  'kubernetes.badImage':
    '「{{image}}」不是镜像引用：例如 flink:1.20.3-java17 或 registry.example.com/flink:1.20.3',
  'kubernetes.badPullPolicy': '「{{value}}」不是镜像拉取策略：请使用 Always、IfNotPresent 或 Never',
  'kubernetes.badUpgradeMode':
    '「{{value}}」不是升级模式：请使用 savepoint（先做保存点）、last-state（最新检查点）或 stateless（空状态）',
  'kubernetes.upgradeModeNotOperator':
    '升级模式「{{value}}」是 Flink Kubernetes Operator 的设置，但该目标的模式是 {{mode}}：请去掉 --upgrade-mode，或以 --mode operator 注册该目标',
  'kubernetes.badObjectName':
    '「{{value}}」不是 {{what}} 名称：请使用小写字母、数字、「-」和「.」，以字母或数字开头和结尾',
  'kubernetes.sharedDirNotAbsolute':
    '「{{dir}}」不是绝对路径：共享目录在 Sluice 所在机器和每个节点上是同一个绝对路径',
  'kubernetes.claimWithoutSharedDir':
    '共享卷声明 {{claim}} 需要它所承载的共享目录：请加上 --shared-dir <路径>，即 Sluice 所在机器挂载该声明之卷（其根目录）的位置',
  'kubernetes.noSharedClaim':
    '持久卷声明 {{claim}} 不存在于 {{server}}（上下文 {{context}}）的命名空间 {{namespace}} 中：pod 从它挂载共享目录；请在那里创建它（绑定到 Sluice 挂载在 {{dir}} 的卷），或指定一个已有的声明',
  'kubernetes.sharedClaimNotBound':
    '{{server}}（上下文 {{context}}）命名空间 {{namespace}} 中的持久卷声明 {{claim}} 处于 {{phase}} 状态，而不是 Bound：挂载它的 pod 会一直 Pending；请将它绑定到 Sluice 挂载在 {{dir}} 的卷（kubectl describe pvc {{claim}} -n {{namespace}} 会说明原因）',
  'kubernetes.badKubeconfig':
    'kubeconfig {{kubeconfig}} 无法使用：{{detail}}；请给出 Sluice 服务器可读的 kubeconfig 文件（kubectl config view --kubeconfig FILE 可查看其内容）',
  'kubernetes.noContext':
    '上下文「{{context}}」不在 kubeconfig {{kubeconfig}} 中：其上下文有 {{contexts}}；请选其中之一',
  'kubernetes.notInCluster':
    '没有给出 kubeconfig，而 Sluice 也不在 Kubernetes Pod 中运行（{{detail}}）：请给出 kubeconfig 文件',
  'kubernetes.unreachable':
    'Kubernetes API 服务器 {{server}}（上下文 {{context}}）没有应答：{{detail}}；请检查集群是否在运行，以及 kubeconfig 中的地址',
  'kubernetes.refused':
    'Kubernetes API 服务器 {{server}}（上下文 {{context}}）拒绝了 {{what}}：{{detail}}；请检查 kubeconfig 中的凭据',
  'kubernetes.noNamespace':
    '命名空间 {{namespace}} 在 {{server}}（上下文 {{context}}）上不存在：请创建它（kubectl create namespace {{namespace}}）或换一个命名空间',
  'kubernetes.missingPermissions':
    '{{user}} 在 {{server}}（上下文 {{context}}）的命名空间 {{namespace}} 中没有 {{missing}} 权限，而 {{mode}} 模式需要它（API 服务器说：{{reason}}）；请授予权限，例如：{{fix}}',
  'kubernetes.noServiceAccount':
    '服务账号 {{serviceAccount}} 在 {{server}}（上下文 {{context}}）的命名空间 {{namespace}} 中不存在：JobManager 以它运行并创建 TaskManager Pod；请创建它：kubectl create serviceaccount {{serviceAccount}} -n {{namespace}} && kubectl create rolebinding {{serviceAccount}}-edit --clusterrole=edit --serviceaccount={{namespace}}:{{serviceAccount}} -n {{namespace}}',
  'kubernetes.noOperatorCrds':
    '{{server}}（上下文 {{context}}）不提供 Flink Kubernetes Operator 的资源 {{missing}}：operator 模式要写 FlinkDeployment 和 FlinkSessionJob 资源；请安装 Operator 及其 CRD，或选择 native 或 standalone 模式',
  'kubernetes.refusedTarget': 'Kubernetes 部署目标 {{target}} 未注册：{{problem}}',
  'target.kubernetesModeNotBuilt':
    '部署目标 {{target}} 以 {{mode}} 模式在 Kubernetes 上运行作业，而这个 Sluice 还不能以这种方式部署 {{content}} 作业：请为该作业选择其他类型或模式的部署目标',
  'target.isKubernetes':
    '部署目标 {{target}} 是 Kubernetes 部署目标：其上的每个作业在 Kubernetes 上有自己的集群，没有可定义、启动或停止的会话集群',
  'target.inUse': '部署目标 {{target}} 是作业 {{jobs}} 的部署目标：请先为它们换一个部署目标或删除它们',
  'target.removeRunning':
    '部署目标 {{target}} 的会话集群正在运行：请先停止它（sluice cluster stop {{target}}）',
  'alertChannel.badName':
    '「{{name}}」不是有效的通道名称：请使用 1-63 个小写字母、数字和「-」，以字母或数字开头和结尾',
  'alertChannel.badType': '「{{type}}」不是通道类型：请使用 {{types}} 之一',
  'alertChannel.notForType': '{{field}} 不是 {{type}} 通道的设置，其设置为 {{fields}}',
  'alertChannel.urlMissing': '{{type}} 通道需要发送地址（--url）',
  'alertChannel.badUrl': '不是 http(s) URL：请填写 {{type}} 接收方提供的地址，以 https:// 开头',
  'alertChannel.hostMissing': '邮件通道需要 SMTP 服务器（--smtp-host）',
  'alertChannel.badPort': '{{port}} 不是端口：请使用 1 到 65535 的整数',
  'alertChannel.fromMissing': '邮件通道需要发件人地址（--from）',
  'alertChannel.toMissing': '邮件通道至少需要一个收件人（--to a@example.com[,b@example.com]）',
  'alertChannel.badAddress': '「{{address}}」不是邮件地址',
  'alertChannel.passwordWithoutUser': 'SMTP 密码需要其所属的用户名（--smtp-user）',
  'alertChannel.notFound': '告警通道「{{channel}}」不存在：用 `sluice alert channel list` 列出',
  'alertChannel.refused': '{{type}} 接收方拒绝了消息：{{answer}}',
  'alertChannel.unreachable': '无法连接 {{host}} 上的 {{type}} 接收方：{{detail}}',
  'alertChannel.deliveryFailed': '告警通道 {{channel}}：{{cause}}',
  'kafka.badConnectionName':
    '「{{name}}」不是 Kafka 连接名称：请使用字母、数字、「_」、「.」和「-」，以字母或数字开头，最多 63 个字符',
  'kafka.localConnectionReserved':
    '连接「{{connection}}」属于本地 Broker（由 `sluice kafka start` 注册）：请换一个名称',
  'kafka.connectionRefused': 'Kafka 连接「{{connection}}」被拒绝：{{problems}}',
  'kafka.problems': '{{first}}；{{rest}}',
  'kafka.noBroker': '至少需要一个 Broker 地址，格式为 host:port（例如 127.0.0.1:9092）',
  'kafka.badBroker':
    '「{{address}}」不是 host:port 格式，或端口不在 1 到 65535 之间（例如 broker-1.example.com:9092）',
  'kafka.saslMechanismNeeded': '{{protocol}} 需要 SASL 机制：{{mechanisms}}',
  'kafka.saslUserNeeded': '{{protocol}} 需要 SASL 用户名',
  'kafka.saslPasswordNeeded': '{{protocol}} 需要 SASL 密码',
  'kafka.saslWithoutSasl':
    '给出了 SASL 设置，但安全协议是 {{protocol}}：请使用 SASL_PLAINTEXT 或 SASL_SSL，或去掉这些设置',
  'kafka.caWithoutSsl': '给出了 CA 证书，但安全协议是 {{protocol}}：请使用 SSL 或 SASL_SSL',
  'kafka.caNotPem': 'CA 证书不是 PEM 文本（-----BEGIN CERTIFICATE----- ...）',
  'kafka.noValueToInfer':
    '主题「{{topic}}」的采样消息中没有可推断表结构的值：请向其写入消息，或多采样一些（--limit）',
  'kafka.emptyJsonObjects': '主题「{{topic}}」的采样值都是空 JSON 对象：没有可作为列的字段',
  'kafka.localConnectionInUse':
    '连接「{{connection}}」属于正在运行的本地 Broker：请先停止它（sluice kafka stop）',
  'kafka.badSampleLimit': '条数 {{limit}} 不是 1 到 {{max}} 的整数',
  'kafka.noLocalConnection':
    'Kafka 连接「{{connection}}」不存在：用 `sluice kafka start` 启动本地 Broker，它会注册该连接',
  'kafka.connectionNotFound': 'Kafka 连接「{{connection}}」不存在：用 `sluice kafka connection list` 列出',
  'kafka.unreachable':
    'Kafka 连接「{{connection}}」（{{bootstrapServers}}）没有应答：{{detail}}。请检查 Broker 是否在运行，以及连接的设置（sluice kafka connection list）',
  'kafka.topicNotFound':
    '主题「{{topic}}」在 Kafka 连接「{{connection}}」上不存在：用 `sluice kafka topics --connection {{connection}}` 列出',
  'kafka.badVersion':
    'Kafka 版本「{{version}}」不是 major.minor.patch 格式（例如 4.1.1）：请把 SLUICE_KAFKA_VERSION 设为 org.apache.kafka:kafka_2.13 的一个版本',
  'kafka.noKafkaJar':
    'Maven 没有复制到 kafka_2.13-{{version}}.jar：{{version}} 是 org.apache.kafka:kafka_2.13 的版本吗？',
  'kafka.brokerStarting': '本地 Kafka Broker 正在启动：请等待其完成',
  'kafka.brokerStopping': '本地 Kafka Broker 正在停止：请等待其完成',
  'kafka.javaTooOld':
    '本地 Kafka Broker 需要 Java 17 或更高版本；{{java}} 是 Java {{major}}：请把 JAVA_HOME 设为 JDK 17 或 21',
  'kafka.formatFailed':
    '格式化本地 Kafka Broker 的数据目录 {{dataDir}} 失败（kafka-storage format，退出码 {{exit}}）：{{output}}；其日志：{{logFile}}',
  'kafka.formatTimedOut':
    '格式化本地 Kafka Broker 的数据目录 {{dataDir}} 失败（kafka-storage format，退出码 {{exit}}，已超时）：{{output}}；其日志：{{logFile}}',
  'kafka.portTaken':
    '127.0.0.1 上的端口 {{port}} 已被其他程序占用：请停止该程序，或把 {{field}} 设为空闲端口后再启动 Sluice',
  'kafka.brokerExited': '本地 Kafka Broker 连续退出了 {{crashes}} 次；其日志（{{logFile}}）末尾：\n{{log}}',
  'kafkaLag.jarJob':
    '作业 {{job}} 是 JAR 作业：它的 Kafka 源在程序内部，Sluice 只能从 Flink 的指标得知其主题，无法得知其消费组：不读取 Broker 上已提交位点的积压；每个分区的积压是 Flink 的读取位置与该分区末尾之差',
  'kafkaLag.noConnectionForTopic':
    "主题 {{topic}}（Flink 指标中的写法）不在任何已注册且有应答的 Kafka 连接上：请用 'sluice kafka connection add NAME --bootstrap-servers H:P' 注册其集群",
  'kafkaLag.topicOnSeveral':
    '主题 {{topic}}（Flink 指标中的写法）在多个 Kafka 连接上（{{connections}}）：不读取其末尾位点',
  'kafkaLag.connectionSilent': '未能向 Kafka 连接 {{connection}} 询问其主题：{{detail}}',
  'kafkaLag.noPartitions': 'Flink 还没有报告作业当前运行的任何 Kafka 分区（源读取某个分区后才报告它）',
  'kafkaLag.noKafkaSource':
    "作业 {{job}} 没有读取任何 Kafka 表：它的 SQL 中没有被查询读取、且 'connector' = 'kafka' 或 'upsert-kafka' 的表（不查看 Catalog 中的表）",
  'kafkaLag.noConnection':
    "表 {{table}} 的 Broker {{bootstrapServers}} 不属于任何已注册的 Kafka 连接：请用 'sluice kafka connection add NAME --bootstrap-servers {{bootstrapServers}}' 注册",
  'kafkaLag.noGroup':
    "表 {{table}} 没有设置 'properties.group.id'：没有消费组时 Flink 不提交位点，Broker 无从比较；只有 Flink 的指标能显示它的积压",
  'kafkaLag.badPattern':
    '表 {{table}} 的 topic-pattern「{{pattern}}」在这里无法匹配（{{detail}}）：不读取其主题的积压',
  'kafkaLag.nothingCommitted':
    '消费组 {{group}} 还没有提交任何位点：Flink 在检查点完成时才提交（请设置 execution.checkpointing.interval）',
  'kafkaLag.notRunning': '作业还没有运行过，Flink 没有报告它的积压',
  'kafka.brokerSilent':
    '本地 Kafka Broker 在 {{seconds}} 秒内没有在 {{bootstrapServers}} 应答；其日志：{{logFile}}：\n{{log}}',
  'system.noAlertmanager':
    '未安装 Alertmanager（Debian 软件包 prometheus-alertmanager）：请运行 scripts/prerequisites.sh 或 apt-get install prometheus-alertmanager；或设置 SLUICE_ALERTMANAGER=off，或用 SLUICE_ALERTMANAGER_URL 指定你自己的',
  'config.alertmanagerBad': "{{variable}}：'{{value}}' 不是有效设置：请给出 {{how}}",
  'alertmanager.off':
    '未使用 Alertmanager（SLUICE_ALERTMANAGER=off）：告警无人评估；取消设置 SLUICE_ALERTMANAGER 以使用 Sluice 运行的，或设置 SLUICE_ALERTMANAGER_URL 使用你自己的',
  'alertmanager.notStarted': '内置 Alertmanager 尚未启动（API 开始监听后启动）',
  'alertmanager.starting': '内置 Alertmanager 正在 {{url}} 启动',
  'alertmanager.exited': '内置 Alertmanager 已退出（{{status}}）；其日志为 {{logFile}}，最后几行：\n{{log}}',
  'alertmanager.restarting':
    '内置 Alertmanager 已退出（{{status}}），{{seconds}} 秒后在 {{url}} 重新启动（Sluice 启动以来第 {{count}} 次重启）；日志为 {{logFile}}，最后几行：\n{{log}}',
  'alertmanager.notReady': '{{url}} 上的 Alertmanager 未就绪：{{detail}}',
  'alertmanager.cannotStart': '内置 Alertmanager 无法启动：{{detail}}',
  'alertmanager.reloadRefused': '内置 Alertmanager 拒绝了新配置 {{configFile}}：{{detail}}',
  'alert.badRuleName':
    "'{{name}}' 不是有效的规则名：请使用小写字母、数字和 '-'，最多 63 个字符，以字母或数字开头和结尾",
  'alert.badKind': "'{{value}}' 不是规则类型：请给出 {{kinds}} 之一",
  'alert.noThreshold': '{{kind}} 规则不需要阈值：请去掉它',
  'alert.thresholdNeeded': '{{kind}} 规则需要阈值（{{unit}}）：请给出，例如 --threshold 1000',
  'alert.badThreshold': "'{{value}}' 不是阈值：请给出 0 或更大的数",
  'alert.badFor':
    "'{{value}}' 不是 Prometheus 时长（计数窗口须大于零）：请写带单位（s、m、h、d）的数字，大单位在前，例如 30s、5m 或 1h30m",
  'alert.badSeverity': "'{{value}}' 不是严重级别：请给出 critical、warning 或 info",
  'alert.noChannel': '规则需要发送消息的通道：请给出一个（sluice alert channel list 列出通道）',
  'alert.ruleNotFound': '告警规则 {{name}} 不存在：sluice alert list 列出规则',
  'alert.jobNotFound': '作业 {{job}} 不存在：sluice job list 列出作业；对空间全部作业的规则请去掉 --job',
  'alert.jobElsewhere':
    "作业 {{job}} 在空间 '{{jobSpace}}'，不在规则 {{name}} 所在的 '{{space}}'：规则只监视其所在空间的作业（请给出 --space {{jobSpace}}，或去掉 --job 以监视 '{{space}}' 的全部作业）",
  'alert.channelNotFound':
    '告警通道 {{channel}} 不存在：请先添加（sluice alert channel add {{channel}} --type ... --url ...）',
  'alert.payloadVersion':
    'Alertmanager 的 webhook 负载版本 {{version}} 不是版本 4：此 Sluice 读取版本 4（Alertmanager 0.25）',
  'invalid.field': '{{field}}：{{problem}}',
};

const prefixed = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).map(([code, text]) => [`msg.${code}`, text]));

export const messagesEn = prefixed(MESSAGES);
export const messagesZhCN = prefixed(zhCN);
