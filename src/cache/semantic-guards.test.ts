import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardRefusal, negationsOf, numbersOf, wordsOf } from './semantic-guards';

describe('semantic cache guards', () => {
  it('read numbers in order, digits and words alike, and negations in every spelling', () => {
    assert.deepEqual(numbersOf(wordsOf('Send 1,000 dollars in five days, 2.50 each')), ['1000', '5', '2.5']);
    assert.deepEqual(negationsOf(wordsOf("I can't, I cannot, I won't, no, never, without it")), [
      'never',
      'no',
      'not',
      'not',
      'not',
      'without',
    ]);
  });

  it('refuse other numbers, numbers in another order, and another negation', () => {
    assert.equal(guardRefusal('Convert 5 USD to EUR', 'Convert 6 USD to EUR'), 'numbers');
    assert.equal(guardRefusal('What is 10 minus 3?', 'What is 3 minus 10?'), 'numbers');
    assert.equal(guardRefusal('Is it safe to eat raw eggs?', 'Is it not safe to eat raw eggs?'), 'negations');
    assert.equal(guardRefusal('Should I take it with food?', 'Should I take it without food?'), 'negations');
  });

  it('refuse another name, whichever text writes it with a capital', () => {
    assert.equal(guardRefusal('What year did World War II end?', 'What year did World War I end?'), 'names');
    assert.equal(guardRefusal('Flights to Paris', 'flights to london'), 'names');
    assert.equal(guardRefusal('Tell me about Paris', 'tell me about paris'), undefined);
  });

  it('refuse words swapped across a direction word, and allow a reordering without one', () => {
    assert.equal(
      guardRefusal('How do I convert celsius to fahrenheit?', 'How do I convert fahrenheit to celsius?'),
      'direction',
    );
    assert.equal(guardRefusal('Is a cat bigger than a dog?', 'Is a dog bigger than a cat?'), 'direction');
    assert.equal(guardRefusal('Is it safe to eat raw eggs?', 'Is it safe to eat eggs raw?'), undefined);
  });

  it('let paraphrases through', () => {
    assert.equal(guardRefusal('What is 15% of 80?', 'What is 15 percent of 80?'), undefined);
    assert.equal(guardRefusal('List three benefits of exercise', 'List 3 benefits of exercise'), undefined);
    assert.equal(guardRefusal("Don't delete my files", 'Do not delete my files'), undefined);
    assert.equal(
      guardRefusal('How do I convert celsius to fahrenheit?', 'How to convert celsius into fahrenheit'),
      undefined,
    );
  });
});
