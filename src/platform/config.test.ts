import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('refuses addresses of external systems that are not http(s) URLs, naming the variable', () => {
    expect(() => loadConfig({ CQS_PAYMENT_URL: 'cong-thanh-toan', CQS_PAYMENT_SECRET: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig({ CQS_PUBLIC_URL: 'ftp://cqs.example' })).toThrow(/CQS_PUBLIC_URL/);
    expect(loadConfig({ CQS_PAYMENT_URL: 'https://pay.example/v1', CQS_PAYMENT_SECRET: 'x' }).paymentUrl).toBe('https://pay.example/v1');
  });

  it('refuses a gateway without its secret, and production without a session secret', () => {
    expect(() => loadConfig({ CQS_POSTAL_URL: 'https://post.example' })).toThrow(/CQS_POSTAL_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/CQS_SESSION_SECRET/);
  });

  it('reads the trusted proxies as a list and refuses an entry that is not an address or CIDR', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ CQS_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,::1,fd00::/8,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.1', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', '*']) expect(() => loadConfig({ CQS_TRUST_PROXY: bad })).toThrow(/CQS_TRUST_PROXY/);
  });
});

describe('audit checkpoint key', () => {
  it('is required in production, and stands in for itself from the session secret elsewhere', () => {
    const session = 's'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', CQS_SESSION_SECRET: session })).toThrow(/CQS_AUDIT_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', CQS_SESSION_SECRET: session, CQS_AUDIT_KEY: 'short' })).toThrow(/CQS_AUDIT_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', CQS_SESSION_SECRET: session, CQS_AUDIT_KEY: 'k'.repeat(32) })).toMatchObject({ auditKey: 'k'.repeat(32), auditKeyEphemeral: false });
    expect(loadConfig({ NODE_ENV: 'test', CQS_SESSION_SECRET: session })).toMatchObject({ auditKey: session, auditKeyEphemeral: false });
    expect(loadConfig({}).auditKeyEphemeral).toBe(true);
  });

  it('takes the VNeID provider only whole, over https (plain http only on this machine, for the simulator)', () => {
    const vneid = { CQS_VNEID_ISSUER: 'https://vneid.example/oidc', CQS_VNEID_CLIENT_ID: 'cqs', CQS_VNEID_CLIENT_SECRET: 's'.repeat(20) };
    expect(loadConfig(vneid).vneid).toEqual({ issuer: 'https://vneid.example/oidc', clientId: 'cqs', clientSecret: 's'.repeat(20) });
    expect(loadConfig({}).vneid).toBeUndefined();
    expect(() => loadConfig({ CQS_VNEID_ISSUER: vneid.CQS_VNEID_ISSUER })).toThrow(/CQS_VNEID_CLIENT_ID/);
    expect(() => loadConfig({ ...vneid, CQS_VNEID_ISSUER: 'http://vneid.example' })).toThrow(/https/);
    expect(loadConfig({ ...vneid, CQS_VNEID_ISSUER: 'http://127.0.0.1:4000' }).vneid?.issuer).toBe('http://127.0.0.1:4000');
  });

  it('takes the S3 bucket only whole, over https (plain http only on this machine), with a valid bucket name', () => {
    const s3 = { CQS_S3_ENDPOINT: 'https://s3.example.vn', CQS_S3_BUCKET: 'cqs-files', CQS_S3_ACCESS_KEY_ID: 'key', CQS_S3_SECRET_ACCESS_KEY: 's'.repeat(30) };
    expect(loadConfig(s3).s3).toEqual({ endpoint: 'https://s3.example.vn', bucket: 'cqs-files', region: 'us-east-1', accessKeyId: 'key', secretAccessKey: 's'.repeat(30) });
    expect(loadConfig({ ...s3, CQS_S3_REGION: 'hn-1' }).s3?.region).toBe('hn-1');
    expect(loadConfig({}).s3).toBeUndefined();
    expect(() => loadConfig({ CQS_S3_ENDPOINT: s3.CQS_S3_ENDPOINT })).toThrow(/CQS_S3_BUCKET/);
    expect(() => loadConfig({ ...s3, CQS_S3_ENDPOINT: 'http://s3.example.vn' })).toThrow(/https/);
    expect(() => loadConfig({ ...s3, CQS_S3_BUCKET: 'Files_Of_CQS' })).toThrow(/CQS_S3_BUCKET must be a bucket name/);
    expect(loadConfig({ ...s3, CQS_S3_ENDPOINT: 'http://127.0.0.1:9000' }).s3?.endpoint).toBe('http://127.0.0.1:9000');
  });
});
