import request from 'supertest';
import { DataSource } from 'typeorm';
import { playerAuth, Service } from './api';

export const PARTIES = '/v1/parties';

const http = (service: Service) => (typeof service === 'string' ? request(service) : service.http());

/** Party calls of a tenant's named players (username = the upper-cased user id), bound like `playerApi`. */
export function partyApi(service: () => Service) {
  const as = (tenant: string, user: string) => playerAuth(tenant, user, { named: true });
  return {
    as,
    createRes: (tenant: string, user: string, body: object = { format: '2v2' }) =>
      http(service()).post(PARTIES).set(as(tenant, user)).send(body),
    /** Creates a party (2v2 unless told), expects 201 and answers it. */
    create: async (tenant: string, user: string, format = '2v2') => {
      const res = await http(service()).post(PARTIES).set(as(tenant, user)).send({ format });
      expect(res.status).toBe(201);
      return res.body;
    },
    get: (tenant: string, user: string, id: string) => http(service()).get(`${PARTIES}/${id}`).set(as(tenant, user)),
    current: (tenant: string, user: string) => http(service()).get(`${PARTIES}/current`).set(as(tenant, user)),
    join: (tenant: string, user: string, id: string) =>
      http(service()).post(`${PARTIES}/${id}/join`).set(as(tenant, user)),
    leave: (tenant: string, user: string, id: string) =>
      http(service()).post(`${PARTIES}/${id}/leave`).set(as(tenant, user)),
    remove: (tenant: string, user: string, id: string, member: string) =>
      http(service()).delete(`${PARTIES}/${id}/members/${member}`).set(as(tenant, user)),
    /** Creates a party of `leader` and has each of `others` join it; answers the party as it then is. */
    form: async (tenant: string, leader: string, others: string[], format = '2v2') => {
      const res = await http(service()).post(PARTIES).set(as(tenant, leader)).send({ format });
      expect(res.status).toBe(201);
      let party = res.body;
      for (const user of others) {
        const joined = await http(service()).post(`${PARTIES}/${party.party_id}/join`).set(as(tenant, user));
        expect(joined.status).toBe(200);
        party = joined.body;
      }
      return party;
    },
  };
}

export const memberIds = (party: { members: { user_id: string }[] }) => party.members.map((m) => m.user_id);

/** A rating as the result path stores it (team categories have no import route of their own yet). */
export const storeRating = (db: DataSource, tenant: string, user: string, category: string, rating: number) =>
  db.query(
    `INSERT INTO player_ratings (tenant_id, user_id, category, rating, deviation, volatility, games)
     VALUES ($1, $2, $3, $4, 100, 0.06, 1)
     ON CONFLICT (tenant_id, user_id, category) DO UPDATE SET rating = EXCLUDED.rating`,
    [tenant, user, category, rating],
  );
