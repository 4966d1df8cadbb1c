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
  'lifecycle.stoppedWithSavepoint':
    'Flink 作业 {{flinkJobId}} 在带保存点停止后为 {{flinkState}}，保存点 {{savepoint}}',
  'lifecycle.afterCancel': 'Flink 作业 {{flinkJobId}} 在取消后为 {{flinkState}}',
  'lifecycle.cancelRequested': '{{author}} 在作业{{operation}}时请求取消',
  'lifecycle.cancelledDuringStart': '{{kind}}在步骤「{{step}}」之后被 {{author}} 取消；其内容均已停止',
  'tracker.clusterSilent': '集群 {{cluster}} 无应答：{{detail}}；最后一次看到的状态为{{state}}',
  'tracker.jobGone': 'Flink 作业 {{flinkJobId}} 已不在集群 {{cluster}} 中：集群重启后未恢复该作业',
  'tracker.reports': 'Flink 报告 {{flinkState}}',
  'tracker.reportsTasks': 'Flink 报告 {{flinkState}}，{{tasks}}',
  'tracker.reportsCause': 'Flink 报告 {{flinkState}}：{{cause}}',
  'tracker.cancelledBehind':
    'Flink 报告 {{flinkState}}：作业在 Flink 中被直接取消（通过其 REST API 或 Web UI），而非通过 Sluice',
  'tracker.answersAgain': '{{reason}}（集群 {{cluster}} 恢复应答）',
  'reconcile.clusterSilent': '提交 #{{submission}} 被中断，且集群 {{cluster}} 无应答',
  'reconcile.reattached': '平台重启后重新关联 Flink 作业 {{flinkJobId}}（{{flinkState}}）',
  'reconcile.rolledBack': '启动在步骤「{{step}}」被平台重启中断，Flink 未收到作业；请重新启动',
  'reconcile.flinkReports': '平台重启中断了{{kind}} #{{submission}}，Flink 报告 {{flinkState}}',
  'command.busy': '作业正忙：{{operation}}；请等待其完成',
  'command.unseen': '平台暂时看不到该作业（最后状态：{{state}}）；请等待，或取消它',
  'command.alreadyLive': '作业已处于{{state}}；请先停止再启动',
  'command.alreadyLiveAs': '作业已处于{{state}}（Flink 作业 {{flinkJobId}}）；请先停止再启动',
  'command.notFailed': '作业处于{{state}}，不是失败状态',
  'command.notRunning': '作业处于{{state}}，未在运行',
  'command.noFlinkJob': '作业没有 Flink 作业',
  'command.savepointNeedsRunning': '作业处于{{state}}；保存点需要运行中的作业',
  'command.stopFirst': '作业处于{{state}}：请先停止或取消，再删除',
  'command.refused': '无法{{command}}作业 {{job}}：{{why}}',
  'job.busy': '作业 {{job}} 正忙：{{operation}}（提交 #{{submission}}）；请等待其完成',
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
  'request.invalid': '{{where}}：{{problem}}',
  'request.required': '{{where}} 缺少属性 {{property}}',
  'request.additionalProperties': '{{where}} 不能有属性 {{property}}',
  'request.type': '{{where}} 必须是 {{type}}',
  'request.minLength': '{{where}} 至少需要 {{limit}} 个字符',
  'request.maxLength': '{{where}} 最多 {{limit}} 个字符',
  'request.minimum': '{{where}} 不能小于 {{limit}}',
  'request.maximum': '{{where}} 不能大于 {{limit}}',
  'request.pattern': '{{where}} 必须符合 {{pattern}}',
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
    '请求头 x-sluice-user：{{value}} 不是用户名（1 到 64 个字母、数字或 . _ @ $ -）；它只作为未经验证的声明记录，请发送操作系统用户名，或不发送',
  'server.exposedWithoutAuth':
    'Sluice 监听在 {{host}}，其他机器可以访问，且没有身份验证：任何能访问它的人都能启动、停止和修改作业并读取其 SQL。请监听 127.0.0.1（SLUICE_HOST 或 --host），或在前面放一个带身份验证的反向代理。',
  'config.allowedHostInvalid':
    "SLUICE_ALLOWED_HOSTS：'{{entry}}' 不是主机名：只写名称（任何端口都会响应），例如 sluice.example.com，或用 .example.com 表示其所有子域名",
  'config.allowedOriginEveryone':
    "SLUICE_ALLOWED_ORIGINS：'{{entry}}' 会让任何网站都能在这里修改作业；请列出你信任的前端的来源，例如 https://ops.example.com",
  'config.allowedOriginInvalid':
    "SLUICE_ALLOWED_ORIGINS：'{{entry}}' 不是来源（origin）：只写协议、主机和端口，例如 https://ops.example.com",
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
  'sql.tooLong': '{{field}}：脚本有 {{length}} 个字符，超过单个脚本上限 {{limit}} 个：请拆分为多个作业',
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
};

const prefixed = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).map(([code, text]) => [`msg.${code}`, text]));

export const messagesEn = prefixed(MESSAGES);
export const messagesZhCN = prefixed(zhCN);
