import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { JwtService } from '@nestjs/jwt';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import { NextFunction, Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { apiKeyMatches } from '../auth/api-key';
import { bearerToken, queryToken } from '../auth/bearer';
import { isOperator } from '../auth/principal';
import { principalFromClaims } from '../auth/jwt.strategy';
import { ErrorCode, ProblemException } from '../common/problem';
import { problemOf } from '../common/problem.filter';
import { QUEUES } from '../jobs/job-names';

export const JOBS_DASHBOARD_PATH = '/internal/jobs';
const COOKIE = 'mm_jobs_token';

type Verdict = { ok: true; cookie?: string } | { ok: false; status: 401 | 403; code: ErrorCode; detail: string };

/**
 * bull-board at /internal/jobs for every BullMQ queue. It is plain Express, outside Nest's guards. Jobs
 * are not tenant-scoped and the dashboard can pause or empty queues for everyone, so it is for
 * operators only: `x-api-key`, or a JWT with role `operator` (a tenant `admin` gets 403). Browsers
 * cannot send headers: they open `/internal/jobs?access_token=<operator JWT>` once; the token then
 * rides in an HttpOnly cookie limited to this path, so the dashboard's own requests authenticate too.
 */
export function mountJobsDashboard(app: INestApplication, config: AppConfig): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(JOBS_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
  });
  app.use(JOBS_DASHBOARD_PATH, jobsDashboardAuth(config), serverAdapter.getRouter());
}

export function jobsDashboardAuth(config: AppConfig) {
  const jwt = new JwtService();
  const verify = (token: string): Verdict => {
    let principal;
    try {
      const claims = jwt.verify(token, {
        secret: config.jwt.secret,
        algorithms: ['HS256'],
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
      });
      principal = principalFromClaims(claims);
    } catch (error) {
      return {
        ok: false,
        status: 401,
        code: 'UNAUTHORIZED',
        detail: error instanceof Error ? error.message : 'invalid token',
      };
    }
    if (!isOperator(principal))
      return { ok: false, status: 403, code: 'FORBIDDEN', detail: 'the operator role is required' };
    return { ok: true };
  };

  const decide = (req: Request): Verdict => {
    const key = req.headers['x-api-key'];
    if (key !== undefined) {
      return typeof key === 'string' && apiKeyMatches(config.internalApiKey, key)
        ? { ok: true }
        : { ok: false, status: 401, code: 'UNAUTHORIZED', detail: 'invalid API key' };
    }
    const header = req.headers.authorization;
    if (header) {
      const token = bearerToken(header);
      return token
        ? verify(token)
        : { ok: false, status: 401, code: 'UNAUTHORIZED', detail: 'malformed authorization header' };
    }
    if (req.query.access_token !== undefined) {
      const query = queryToken(req);
      if (!query) return { ok: false, status: 401, code: 'UNAUTHORIZED', detail: 'malformed access_token' };
      const verdict = verify(query);
      return verdict.ok ? { ok: true, cookie: query } : verdict;
    }
    const cookie = readCookie(req.headers.cookie, COOKIE);
    if (cookie) return verify(cookie);
    return {
      ok: false,
      status: 401,
      code: 'UNAUTHORIZED',
      detail: 'x-api-key, a bearer token or ?access_token= is required',
    };
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const verdict = decide(req);
    if (!verdict.ok) {
      const problem = {
        ...problemOf(new ProblemException(verdict.status, verdict.code, verdict.detail)),
        request_id: (req as { id?: string }).id,
      };
      res.status(verdict.status).type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    if (verdict.cookie) {
      res.cookie(COOKIE, verdict.cookie, {
        httpOnly: true,
        sameSite: 'strict',
        path: JOBS_DASHBOARD_PATH,
        secure: req.secure,
        maxAge: 3600_000,
      });
    }
    next();
  };
}

/** A cookie value; one with a bad percent-escape is no cookie (401), never a 500. */
function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
