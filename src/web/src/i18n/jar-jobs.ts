/**
 * Texts of the JAR job form: the same words as `sluice job create --jar --entry-class --args
 * --classpath --target` and the API's jar, entryClass, args, classpath.
 */
export const jarJobsEn = {
  'jar.new': 'New JAR job',
  'jar.editTitle': 'JAR job {{name}}: new version',
  'jar.edit': 'Edit JAR job',
  'jar.fromArtifact': 'Create job from this jar',
  'jar.program': 'Program',
  'jar.jar': 'Jar (artifact@version)',
  'jar.jarRequired': 'Choose the artifact version the job runs',
  'jar.entryClass': 'Entry class',
  'jar.entryClassDefault': "Left empty: the jar's Main-Class {{class}}",
  'jar.entryClassNone': 'This jar has no Main-Class in its manifest: name the class whose main runs',
  'jar.args': 'Program arguments',
  'jar.argsHelp': 'Split at spaces; quote an argument that holds spaces, as with --args',
  'jar.argsOpenQuote': 'A {{quote}} quote is not closed',
  'jar.classpath': 'Classpath (extra artifacts)',
  'jar.target': 'Deployment target',
  'jar.targetHelp':
    "Where the job runs; the target's Flink version is the job's engine. Left empty: the engine's session cluster (local-<version>) for a job of the default space, its local application target (local-application-<version>, a Flink cluster of the job's own) in any other space",
  'jar.defaultTarget': 'The default target of the job’s space',
  'jar.reload': 'Reload the latest version',
};

export const jarJobsZhCN: Record<keyof typeof jarJobsEn, string> = {
  'jar.new': '新建 JAR 作业',
  'jar.editTitle': 'JAR 作业 {{name}}：新版本',
  'jar.edit': '编辑 JAR 作业',
  'jar.fromArtifact': '用此 jar 创建作业',
  'jar.program': '程序',
  'jar.jar': 'Jar（制品@版本）',
  'jar.jarRequired': '请选择作业运行的制品版本',
  'jar.entryClass': '入口类',
  'jar.entryClassDefault': '留空：使用 jar 的 Main-Class {{class}}',
  'jar.entryClassNone': '此 jar 的清单中没有 Main-Class：请填写运行其 main 方法的类',
  'jar.args': '程序参数',
  'jar.argsHelp': '按空格拆分；含空格的参数请加引号，与 --args 相同',
  'jar.argsOpenQuote': '{{quote}} 引号未闭合',
  'jar.classpath': '类路径（额外制品）',
  'jar.target': '部署目标',
  'jar.targetHelp':
    '作业运行的位置；部署目标的 Flink 版本即作业的引擎。留空时：default 空间的作业使用引擎的会话集群（local-<版本>），其他空间的作业使用引擎的本地应用部署目标（local-application-<版本>，每个作业一个独立的 Flink 集群）',
  'jar.defaultTarget': '作业所在空间的默认部署目标',
  'jar.reload': '重新加载最新版本',
};
