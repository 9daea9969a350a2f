/** The version orderings scans match with, checked against each ecosystem's own published examples. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareApk, compareDebian, compareRpm, rpmvercmp } from '../../src/ecr/scanning/versions.ts';

const sign = (n: number): number => (n === 0 ? 0 : Math.sign(n));

describe('Debian version comparison (Debian policy 5.6.12, dpkg)', () => {
  it('sorts the policy manual example: ~~ < ~~a < ~ < (empty) < a', () => {
    const ordered = ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a'];
    for (let i = 0; i < ordered.length - 1; i++) {
      assert.equal(sign(compareDebian(ordered[i], ordered[i + 1])), -1, `${ordered[i]} < ${ordered[i + 1]}`);
      assert.equal(sign(compareDebian(ordered[i + 1], ordered[i])), 1);
    }
  });
  it('compares epochs first, then upstream, then revision', () => {
    const cases: [string, string, number][] = [
      ['1:0.1', '2.0', 1], // an epoch outranks any upstream version
      ['0:1.0', '1.0', 0], // a missing epoch is 0
      ['1.0-1', '1.0-2', -1],
      ['1.0-10', '1.0-9', 1], // numeric parts compare as numbers
      ['1.0.1', '1.0-5', 1],
      ['2.30-21', '2.30-21+deb12u1', -1],
      ['3.0.11-1~deb12u2', '3.0.11-1', -1], // a backport sorts before the release it backports
      ['1.2.3', '1.2.3', 0],
      ['1.002', '1.2', 0], // leading zeros are ignored
      ['1.0+dfsg-1', '1.0-1', 1], // '+' sorts after the end of the upstream part
      ['1.0a', '1.0+', -1], // letters sort before non-letters
      ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12', -1],
    ];
    for (const [a, b, want] of cases) assert.equal(sign(compareDebian(a, b)), want, `${a} vs ${b}`);
  });
});

describe('Alpine version comparison (apk-tools test/version.data)', () => {
  // A selection of apk-tools' own test vectors.
  const data = `2.34 > 0.1.0_alpha
23_foo > 4_beta
1.0 < 1.0bc
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
1.0.4-r3 < 1.0.4-r4
1.1 > 1.1_alpha1
1.2.1 > 1.2
1.3_alpha2 < 1.3_alpha3
0.7.0 < 0.8_beta1
0.8_beta4 < 4.8-r1
2.3.0b-r1 < 2.3.0b-r2
0.12.3 > 0.12
1.06-r6 < 006
006 > 1.0.0
1.2.2-r1 > 1.2.2
3.1_p16 < 3.1_p17
0.2.0-r1 < 3.1_p16
2.01.01_alpha10 > 0.94
1.0 > 0.99.3.20040818
20060720 > 3.0.20060720
2.5.1-r8 < 2.5.1a-r1
0.9.8c-r1 < 0.9.8d
4.5_p1-r1 > 4.5_p1
1.8.5 < 1.8.5_p2
2.9.11_pre20051101-r3 > 2.9.11_pre20051101
0.10.0 < 0.10.1_rc1
0.9.28-r2 < 0.9.28.1
0.9.28.1 < 087-r1
1.7 < 1.7b
22.7-r1 < 22.7.3-r1
0.20070118 < 0.20070207_rc1
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0`;
  for (const line of data.split('\n')) {
    const [a, op, b] = line.split(' ');
    it(line, () => {
      const want = op === '<' ? -1 : op === '>' ? 1 : 0;
      assert.equal(sign(compareApk(a, b)), want);
      assert.equal(sign(compareApk(b, a)), want === 0 ? 0 : -want);
    });
  }
});

describe('RPM version comparison (rpm tests/rpmvercmp.at)', () => {
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['xyz.4', '8', -1],
    ['2', 'xyz.4', 1],
    ['6.0.rc1', '6.0', 1],
    ['10b2', '10a1', 1],
    ['1.0a', '1.0aa', -1],
    ['10.0001', '10.1', 0],
    ['10.0039', '10.0001', 1],
    ['4.999.9', '5.0', -1],
    ['20101122', '20101121', 1],
    ['2.0', '2_0', 0],
    ['a+', 'a_', 0],
    ['+_', '_+', 0],
    ['+', '_', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git123', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
  ];
  for (const [a, b, want] of cases) {
    it(`rpmvercmp(${a}, ${b}) = ${want}`, () => {
      assert.equal(sign(rpmvercmp(a, b)), want);
      assert.equal(sign(rpmvercmp(b, a)), want === 0 ? 0 : -want);
    });
  }
  it('compares epoch, then version, then release', () => {
    assert.equal(sign(compareRpm('1:1.0-1', '2.0-1')), 1);
    assert.equal(sign(compareRpm('0:3.0.7-24.el9', '3.0.7-27.el9')), -1);
    assert.equal(sign(compareRpm('3.0.7-27.el9', '3.0.7-27.el9')), 0);
  });
});
