import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The local cluster's throwaway PKI, made with openssl: one CA signs the API server's serving cert,
 * each component's client cert (Kubernetes reads the user from CN and the groups from O) and the
 * kubelet's serving cert. Also the service-account signing key pair.
 */
export interface ClientCert {
  cert: string;
  key: string;
}

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  apiserver: ClientCert;
  apiserverKubeletClient: ClientCert;
  admin: ClientCert;
  controllerManager: ClientCert;
  scheduler: ClientCert;
  kubelet: ClientCert;
  kubeletServing: ClientCert;
  kubeProxy: ClientCert;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(
  dir: string,
  name: string,
  subject: string,
  ca: { cert: string; key: string },
  extensions: string,
): ClientCert {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.crt`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, extensions);
  openssl(['genrsa', '-out', key, '2048']);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    '365',
    '-extfile',
    ext,
    '-out',
    cert,
  ]);
  fs.rmSync(csr);
  fs.rmSync(ext);
  return { cert, key };
}

const client =
  'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
const server = (sans: string) =>
  `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`;

export function makePki(
  dir: string,
  opts: { nodeName: string; nodeIp: string; firstServiceIp: string },
): Pki {
  fs.mkdirSync(dir, { recursive: true });
  const caKey = path.join(dir, 'ca.key');
  const caCert = path.join(dir, 'ca.crt');
  openssl(['genrsa', '-out', caKey, '2048']);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    '/CN=sluice-kubernetes-ca',
    '-days',
    '365',
    '-out',
    caCert,
  ]);
  const ca = { cert: caCert, key: caKey };
  const serviceAccountKey = path.join(dir, 'sa.key');
  const serviceAccountPub = path.join(dir, 'sa.pub');
  openssl(['genrsa', '-out', serviceAccountKey, '2048']);
  openssl(['rsa', '-in', serviceAccountKey, '-pubout', '-out', serviceAccountPub]);
  const apiserverSans = [
    'IP:127.0.0.1',
    `IP:${opts.nodeIp}`,
    `IP:${opts.firstServiceIp}`,
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ].join(',');
  return {
    dir,
    caCert,
    caKey,
    serviceAccountKey,
    serviceAccountPub,
    apiserver: issue(dir, 'apiserver', '/CN=kube-apiserver', ca, server(apiserverSans)),
    // The API server calls kubelets (logs, exec) with this; system:masters passes the kubelet's webhook authorization.
    apiserverKubeletClient: issue(
      dir,
      'apiserver-kubelet-client',
      '/O=system:masters/CN=kube-apiserver-kubelet-client',
      ca,
      client,
    ),
    admin: issue(dir, 'admin', '/O=system:masters/CN=sluice-admin', ca, client),
    controllerManager: issue(dir, 'controller-manager', '/CN=system:kube-controller-manager', ca, client),
    scheduler: issue(dir, 'scheduler', '/CN=system:kube-scheduler', ca, client),
    kubelet: issue(dir, 'kubelet', `/O=system:nodes/CN=system:node:${opts.nodeName}`, ca, client),
    kubeletServing: issue(
      dir,
      'kubelet-serving',
      `/CN=${opts.nodeName}`,
      ca,
      server(`IP:${opts.nodeIp},DNS:${opts.nodeName}`),
    ),
    kubeProxy: issue(dir, 'kube-proxy', '/CN=system:kube-proxy', ca, client),
  };
}

/** A kubeconfig file with the certificates embedded, so it can be copied and used anywhere on the host. */
export function writeKubeconfig(
  file: string,
  opts: { server: string; caCert: string; user: string; cert: ClientCert },
): void {
  const b64 = (f: string) => fs.readFileSync(f).toString('base64');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: sluice-local',
      '  cluster:',
      `    server: ${opts.server}`,
      `    certificate-authority-data: ${b64(opts.caCert)}`,
      'users:',
      `- name: ${opts.user}`,
      '  user:',
      `    client-certificate-data: ${b64(opts.cert.cert)}`,
      `    client-key-data: ${b64(opts.cert.key)}`,
      'contexts:',
      '- name: sluice-local',
      '  context:',
      '    cluster: sluice-local',
      `    user: ${opts.user}`,
      'current-context: sluice-local',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}
