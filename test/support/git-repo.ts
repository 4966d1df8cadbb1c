import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_JOBS_PROJECT } from './test-jars.ts';

/** The stateful-counter job as a project of its own: the parent's versions written out, so it builds alone. */
const STANDALONE_POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sluice.test</groupId>
  <artifactId>stateful-counter</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>11</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.flink</groupId><artifactId>flink-streaming-java</artifactId>
      <version>1.20.3</version><scope>provided</scope>
    </dependency>
    <dependency>
      <groupId>org.apache.flink</groupId><artifactId>flink-connector-datagen</artifactId>
      <version>1.20.3</version><scope>provided</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <!-- The versions test/jobs builds with, so that the Maven cache already has them. -->
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.2.5</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.1</version></plugin>
    </plugins>
  </build>
</project>
`;

export interface CounterRepo {
  /** The repository's folder (its URL is `file://<dir>`). */
  dir: string;
  /** The folder of the Maven project in it. */
  module: string;
  /** The commit of `main` and of the tag `v1.0`. */
  head: string;
  /** Runs git in the repository, as a test user. */
  git: (...args: string[]) => string;
  remove: () => void;
}

/**
 * A real git repository made for a test: test/jobs/stateful-counter at `jobs/stateful-counter` with a
 * standalone pom (its manifest names no Main-Class), committed on `main` and tagged `v1.0`, and a
 * branch `broken` whose commit does not compile.
 */
export function counterRepo(): CounterRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-git-repo-'));
  const module = 'jobs/stateful-counter';
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@sluice.dev', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  const project = path.join(dir, module);
  fs.mkdirSync(project, { recursive: true });
  fs.cpSync(path.join(TEST_JOBS_PROJECT, 'stateful-counter', 'src'), path.join(project, 'src'), {
    recursive: true,
  });
  fs.writeFileSync(path.join(project, 'pom.xml'), STANDALONE_POM);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'the stateful counter');
  git('tag', 'v1.0');
  const head = git('rev-parse', 'HEAD');
  git('checkout', '-qb', 'broken');
  const java = path.join(project, 'src/main/java/dev/sluice/testjobs/StatefulCounter.java');
  fs.appendFileSync(java, '\nclass Broken { int x = "not a number"; }\n');
  git('commit', '-qam', 'does not compile');
  git('checkout', '-q', 'main');
  return { dir, module, head, git, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
