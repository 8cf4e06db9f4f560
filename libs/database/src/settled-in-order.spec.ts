import { settledInOrder } from './settled-in-order';

describe('settledInOrder', () => {
  it('gives every result, in order', async () => {
    await expect(settledInOrder([Promise.resolve(1), Promise.resolve('two')])).resolves.toEqual([
      1,
      'two',
    ]);
  });

  it('throws the first failure in the order sent, once every statement has settled', async () => {
    const first = new Error('first');
    let lastSettled = false;
    const last = new Promise<number>((resolve) =>
      setTimeout(() => {
        lastSettled = true;
        resolve(3);
      }, 20),
    );
    const second = Promise.reject(new Error('second'));
    const failing = Promise.reject(first);
    await expect(settledInOrder([Promise.resolve(0), failing, second, last])).rejects.toBe(first);
    expect(lastSettled).toBe(true);
  });
});
