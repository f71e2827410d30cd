import { describe, expect, it } from 'vitest';
import { grantLeaseEndMs, holderLeaseEndMs, LeaseGrantor, LeaseHolder, newMasterServeAtMs } from '../src/protocols/paxos/lease.js';

describe('paxos master lease arithmetic', () => {
  it('the master times its lease from the renewal it sent, minus ε; an acceptor from receipt, without', () => {
    expect(holderLeaseEndMs(1_000, 400, 100)).toBe(1_300);
    expect(holderLeaseEndMs(1_000, 400, 0)).toBe(1_400);
    expect(grantLeaseEndMs(1_003, 400)).toBe(1_403);
  });

  it('a new master waits the longest forgotten lease plus ε', () => {
    expect(newMasterServeAtMs(5_000, 250, 100)).toBe(5_350);
    expect(newMasterServeAtMs(5_000, 0, 100)).toBe(5_100);
    expect(newMasterServeAtMs(5_000, 0, 0)).toBe(5_000);
  });

  it('with ε, the master stops before any acceptor whose clock runs up to 10% faster than its own', () => {
    // The master's clock runs 10% slow, the acceptor's 10% fast; real time in ms.
    const leaseMs = 400;
    const marginMs = 80; // ≥ leaseMs · 2ρ/(1+ρ) = 72.7 for ρ = 0.1
    const masterRealEnd = (withMargin: boolean) => holderLeaseEndMs(0, leaseMs, withMargin ? marginMs : 0) / 0.9;
    const acceptorRealEnd = 1 + grantLeaseEndMs(0, leaseMs) / 1.1; // received 1 ms after the send
    expect(masterRealEnd(true)).toBeLessThan(acceptorRealEnd);
    expect(masterRealEnd(false)).toBeGreaterThan(acceptorRealEnd);
  });

  it('renewal rounds count once a quorum grants them; the lease runs from the round send time', () => {
    const holder = new LeaseHolder(400, 100, 3);
    const r1 = holder.startRound(1_000);
    const r2 = holder.startRound(1_050);
    expect(holder.granted(r1, 'n1')).toBeUndefined();
    expect(holder.granted(r1, 'n1')).toBeUndefined();
    expect(holder.granted(r1, 'n2')).toBeUndefined();
    expect(holder.valid(1_010)).toBe(false);
    expect(holder.granted(r1, 'n3')).toBe(1_000);
    expect(holder.valid(1_299)).toBe(true);
    expect(holder.valid(1_300)).toBe(false);
    for (const n of ['n1', 'n4', 'n5']) holder.granted(r2, n);
    expect(holder.leaseEndMs).toBe(1_350);
    expect(holder.granted(99, 'n1')).toBeUndefined();
  });

  it('a grantor blocks other candidates until its grant ends; a lease of 0 grants nothing', () => {
    const g = new LeaseGrantor(400, 0, false);
    g.grant('n1', 100);
    expect(g.blocksForMs('n2', 499)).toBe(1);
    expect(g.blocksForMs('n1', 499)).toBe(0);
    expect(g.blocksForMs('n2', 500)).toBe(0);
    expect(g.forgottenRemainingMs(0)).toBe(0);
    const off = new LeaseGrantor(0, 0, true);
    off.grant('n1', 100);
    expect(off.blocksForMs('n2', 101)).toBe(0);
    expect(off.forgottenRemainingMs(0)).toBe(0);
  });
});
