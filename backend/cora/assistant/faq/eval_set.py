"""The evaluation table for the FAQ assistant, shared by the tests and the accuracy benchmark.

Questions are worded differently from the knowledge base's own phrasings. `expected` is the
entry id that must be the top answer, or one of FALLBACK / "greeting" / "thanks" / "goodbye".
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from cora.assistant.base import Assistant, ChatTurn
from cora.assistant.faq.knowledge import load_knowledge
from cora.assistant.faq.replies import answer_text

FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class EvalCase:
    question: str
    expected: str
    history: tuple[ChatTurn, ...] = ()

    def conversation(self) -> list[ChatTurn]:
        return [*self.history, ChatTurn("user", self.question)]


@dataclass(frozen=True, slots=True)
class EvalResult:
    case: EvalCase
    outcome: str
    seconds: float

    @property
    def passed(self) -> bool:
        return self.outcome == self.case.expected


def user(text: str) -> ChatTurn:
    return ChatTurn("user", text)


def cora(entry_id: str) -> ChatTurn:
    """The reply Cora gives from an entry, as it appears in a session's history."""
    return ChatTurn("assistant", answer_text(_entries()[entry_id]))


@cache
def _entries() -> dict[str, Any]:
    return {entry.id: entry for entry in load_knowledge()}


def outcome(metadata: Mapping[str, Any]) -> str:
    """What a reply's metadata says it was: an entry id, FALLBACK or a kind of small talk."""
    if metadata.get("faq_id"):
        return str(metadata["faq_id"])
    if metadata.get("fallback"):
        return FALLBACK
    return str(metadata.get("small_talk", "unknown"))


async def run_case(assistant: Assistant, case: EvalCase) -> EvalResult:
    metadata: dict[str, Any] = {}
    started = time.perf_counter()
    async for piece in assistant.reply(history=case.conversation()):
        metadata.update(piece.metadata)
    return EvalResult(case, outcome(metadata), time.perf_counter() - started)


async def run_all(assistant: Assistant, cases: Sequence[EvalCase]) -> list[EvalResult]:
    return [await run_case(assistant, case) for case in cases]


DIRECT = (
    EvalCase(
        "I rear-ended someone this morning, how do I open a claim with you?", "claims-file-auto"
    ),
    EvalCase(
        "A tree came down on my roof in the storm. How do I get it paid for?", "claims-file-home"
    ),
    EvalCase("Someone broke into my apartment and took my TV and laptop", "claims-file-renters"),
    EvalCase(
        "My mom died last month and I'm named on her policy. How do I get the money?",
        "claims-file-life",
    ),
    EvalCase(
        "I paid a specialist out of pocket, how do I get reimbursed by my health plan?",
        "claims-file-health",
    ),
    EvalCase("Any news on the claim I opened last week?", "claims-track"),
    EvalCase("How many weeks does it usually take to settle a claim?", "claims-timeline"),
    EvalCase("What paperwork should I gather before I report the damage?", "claims-documents"),
    EvalCase(
        "The insurance refused to pay for my surgery, can I fight that decision?", "claims-denied"
    ),
    EvalCase(
        "An adjuster wants to come and see the damage in my kitchen, what will they do?",
        "claims-adjuster",
    ),
    EvalCase(
        "I just got into a fender bender, what should I do at the scene?", "claims-after-accident"
    ),
    EvalCase("When will the settlement money arrive, and will it be a check?", "claims-payment"),
    EvalCase("If I claim for a small scratch, will my rates go up?", "claims-rate-impact"),
    EvalCase(
        "Rain is coming through the roof: can I call a roofer now or must I wait for you?",
        "claims-emergency-repairs",
    ),
    EvalCase("Thieves took my car from the parking lot overnight", "claims-auto-theft"),
    EvalCase("There's a chip in my windscreen from a stone on the highway", "claims-glass"),
    EvalCase("Who pays for a car to drive while mine is at the body shop?", "claims-rental-car"),
    EvalCase("My battery is dead and I'm stuck on the side of the highway", "claims-roadside"),
    EvalCase("The guy who hit me doesn't have any insurance", "claims-uninsured-driver"),
    EvalCase("Can you explain what a deductible is in simple terms?", "deductible-what"),
    EvalCase(
        "Do I still pay my collision deductible if the other guy caused the crash?",
        "deductible-auto",
    ),
    EvalCase("What's a hurricane deductible on a house policy?", "deductible-home"),
    EvalCase("I don't get coinsurance versus copays on my medical plan", "deductible-health"),
    EvalCase("I'd like to raise my deductible from 500 to 1000", "deductible-change"),
    EvalCase("Can I use a credit card to pay for my insurance?", "billing-payment-methods"),
    EvalCase("I want the premium taken from my bank account automatically", "billing-autopay"),
    EvalCase("I'm late on my insurance bill, am I still covered?", "billing-missed-payment"),
    EvalCase(
        "Why is my renewal so much more expensive than last year?", "billing-premium-increase"
    ),
    EvalCase("Any way to make my car insurance cheaper?", "billing-lower-premium"),
    EvalCase(
        "Can I spread the cost over the year in installments instead of one payment?",
        "billing-payment-plan",
    ),
    EvalCase("If I end my policy early, do I get the unused money back?", "billing-refund"),
    EvalCase("What decides how much I pay for insurance?", "billing-premium-what"),
    EvalCase("Is hitting a deer covered by collision or comprehensive?", "coverage-auto-types"),
    EvalCase("Is the legal minimum liability enough for me?", "coverage-auto-limits"),
    EvalCase(
        "My neighbour wants to borrow my truck for the weekend, is he insured?",
        "coverage-auto-other-driver",
    ),
    EvalCase("I started doing DoorDash deliveries in my own car", "coverage-auto-rideshare"),
    EvalCase(
        "Should I buy the insurance the rental agency offers when I rent a car on holiday?",
        "coverage-auto-rental",
    ),
    EvalCase("What exactly does a house insurance policy protect?", "coverage-home-what"),
    EvalCase("The river overflowed and my ground floor is under water", "coverage-home-flood"),
    EvalCase(
        "Will my home insurance pay if an earthquake cracks my foundation?",
        "coverage-home-earthquake",
    ),
    EvalCase("My water heater burst and soaked the carpet", "coverage-home-water"),
    EvalCase(
        "Is my grandmother's diamond necklace protected if it gets stolen?",
        "coverage-home-valuables",
    ),
    EvalCase(
        "Why did they take depreciation off the payment for my old sofa?",
        "coverage-replacement-cost",
    ),
    EvalCase(
        "The mail carrier tripped on my front steps and hurt her wrist", "coverage-home-liability"
    ),
    EvalCase("What does a tenant's policy actually protect?", "coverage-renters-what"),
    EvalCase(
        "My flatmate's stuff got damaged too, does my policy pay for it?",
        "coverage-renters-roommate",
    ),
    EvalCase(
        "The building owner already has insurance, why would I need my own?",
        "coverage-renters-required",
    ),
    EvalCase(
        "My bicycle was stolen outside the gym, will my renters policy pay?",
        "coverage-property-away",
    ),
    EvalCase("Is term or whole life the better choice?", "coverage-life-types"),
    EvalCase(
        "I want my kids to get the life insurance money instead of my ex",
        "coverage-life-beneficiary",
    ),
    EvalCase("How big a life policy should I buy to protect my family?", "coverage-life-how-much"),
    EvalCase(
        "Could they refuse to pay my life policy if I didn't mention I smoke?",
        "coverage-life-exclusions",
    ),
    EvalCase("Can I take money out of my whole life policy?", "coverage-life-cash-value"),
    EvalCase("Do I have to give blood to get life cover?", "coverage-life-medical-exam"),
    EvalCase("How do I know if a clinic accepts my health plan?", "coverage-health-network"),
    EvalCase("Does my MRI need approval from the insurer first?", "coverage-health-preauth"),
    EvalCase(
        "How much will I pay for my insulin at the pharmacy?", "coverage-health-prescriptions"
    ),
    EvalCase("I have asthma, will my health plan still cover me?", "coverage-health-preexisting"),
    EvalCase(
        "We just had a baby, how do I put her on my health plan?", "coverage-health-enrollment"
    ),
    EvalCase(
        "Am I covered if I end up in the ER while on vacation in Mexico?",
        "coverage-health-emergency",
    ),
    EvalCase(
        "I got a letter from my health plan that says 'this is not a bill', what is it?",
        "coverage-health-eob",
    ),
    EvalCase("Do I have to pay for my yearly physical?", "coverage-health-preventive"),
    EvalCase("What kinds of damage will my policy never pay for?", "coverage-exclusions-general"),
    EvalCase(
        "I'm picking up a new SUV on Friday, how do I get it on my policy?", "policy-add-vehicle"
    ),
    EvalCase(
        "My son just got his driver's license, does he need to be on my policy?",
        "policy-add-driver",
    ),
    EvalCase("We're relocating to Texas next month", "policy-change-address"),
    EvalCase("I sold the house, how do I stop my home insurance?", "policy-cancel"),
    EvalCase(
        "Will my coverage simply continue next year or do I need to do something?", "policy-renewal"
    ),
    EvalCase(
        "I went back to my maiden name after the divorce, how do I update it?", "policy-update-info"
    ),
    EvalCase(
        "My coverage was terminated because I didn't pay, can I get it back?", "policy-reinstate"
    ),
    EvalCase("Can I get a price for insuring my condo?", "policy-new-quote"),
    EvalCase("I got pulled over and need to show I'm insured", "documents-id-card"),
    EvalCase("Where can I download the full wording of my policy?", "documents-policy"),
    EvalCase(
        "The bank that holds my mortgage is asking for evidence of coverage", "documents-lender"
    ),
    EvalCase("Where do I find my 1095 form for my tax return?", "documents-tax"),
    EvalCase("I'd like all my letters by email instead of paper", "documents-paperless"),
    EvalCase("I'd like to speak with an actual human please", "contact-agent"),
    EvalCase("Can I reach you on a Sunday night if something happens?", "contact-claims-hours"),
    EvalCase("I want to file a formal complaint about the way I was treated", "contact-complaint"),
    EvalCase("I forgot my password for the website", "account-login"),
    EvalCase("Do you share my information with other companies?", "account-privacy"),
    EvalCase(
        "I got a text asking for my policy number and card details, is it real?", "contact-fraud"
    ),
    EvalCase("Are you a chatbot?", "about-cora"),
)

FOLLOW_UPS = (
    EvalCase(
        "How long does that usually take?",
        "claims-timeline",
        (user("How do I make a claim for my car after an accident?"), cora("claims-file-auto")),
    ),
    EvalCase(
        "And for my car?",
        "deductible-auto",
        (user("How does the deductible on my house work?"), cora("deductible-home")),
    ),
    EvalCase(
        "What documents will you need for it?",
        "claims-documents",
        (user("How do I claim for my stolen belongings as a renter?"), cora("claims-file-renters")),
    ),
    EvalCase(
        "Which one can I borrow against?",
        "coverage-life-cash-value",
        (user("Should I get term or whole life?"), cora("coverage-life-types")),
    ),
    EvalCase(
        "Is there a deadline for that?",
        "claims-file-health",
        (user("How do I send in a claim for a doctor's bill?"), cora("claims-file-health")),
    ),
    EvalCase(
        "Will I get a rental while I wait?",
        "claims-rental-car",
        (user("My car was stolen last night"), cora("claims-auto-theft")),
    ),
    EvalCase(
        "Does it cover my roommate too?",
        "coverage-renters-roommate",
        (user("What's covered by renters insurance?"), cora("coverage-renters-what")),
    ),
    EvalCase(
        "What about prescriptions?",
        "coverage-health-prescriptions",
        (user("How does a health plan deductible work?"), cora("deductible-health")),
    ),
    EvalCase(
        "How long does it take?",
        "claims-timeline",
        # The earlier reply came from another assistant: only the user's turns give context.
        (user("I need to file a claim for hail damage on my roof"), ChatTurn("assistant", "Sure.")),
    ),
    EvalCase(
        "What about earthquakes?",
        "coverage-home-earthquake",
        (user("Is flood damage covered by my home policy?"), cora("coverage-home-flood")),
    ),
    EvalCase(
        "How do I do that?",
        "policy-cancel",
        (
            user("I'm thinking about switching insurers"),
            cora("policy-cancel"),
            user("Thanks"),
            ChatTurn("assistant", "You're welcome! Is there anything else I can help you with?"),
        ),
    ),
    EvalCase(
        "What's the capital of France?",
        FALLBACK,
        (user("How do I file an auto claim?"), cora("claims-file-auto")),
    ),
    EvalCase(
        "Can you write me a song about it?",
        FALLBACK,
        (user("What happens if I miss a payment?"), cora("billing-missed-payment")),
    ),
)

OFF_TOPIC = (
    EvalCase("What's the capital of France?", FALLBACK),
    EvalCase("Write me a poem about cats", FALLBACK),
    EvalCase("Who won the football game last night?", FALLBACK),
    EvalCase("Can you recommend a good pizza place nearby?", FALLBACK),
    EvalCase("What's the weather going to be like tomorrow?", FALLBACK),
    EvalCase("How do I bake sourdough bread?", FALLBACK),
    EvalCase("What is 17 times 23?", FALLBACK),
    EvalCase("Tell me a joke", FALLBACK),
    EvalCase("Can you fix my printer?", FALLBACK),
    EvalCase("How should I invest in the stock market?", FALLBACK),
    EvalCase("Translate good morning into Spanish", FALLBACK),
    EvalCase("asdfgh qwerty", FALLBACK),
)

SMALL_TALK = (
    EvalCase("Hello!", "greeting"),
    EvalCase("hey there", "greeting"),
    EvalCase("Good morning, Cora", "greeting"),
    EvalCase("Thanks so much!", "thanks"),
    EvalCase("ok thank you, that helps", "thanks"),
    EvalCase("Bye!", "goodbye"),
    EvalCase(
        "No thanks, that's all",
        "goodbye",
        (
            user("How do I get my ID card?"),
            cora("documents-id-card"),
            user("Thanks"),
            ChatTurn("assistant", "You're welcome! Is there anything else I can help you with?"),
        ),
    ),
    EvalCase("That's all, thanks. Have a nice day!", "goodbye"),
)

CASES: tuple[EvalCase, ...] = DIRECT + FOLLOW_UPS + OFF_TOPIC + SMALL_TALK

# Written after the knowledge base and thresholds were tuned on CASES, and not tuned on since:
# its accuracy estimates how Cora does on questions nobody has fitted her to.
HELD_OUT = (
    EvalCase("Somebody backed into my parked car, how do I report it?", "claims-file-auto"),
    EvalCase(
        "Hail smashed a few of my house windows, how do I claim for that?", "claims-file-home"
    ),
    EvalCase(
        "How do I claim for my clothes that got ruined in the fire at my rental?",
        "claims-file-renters",
    ),
    EvalCase(
        "My husband passed away, what do I need to claim his life policy?", "claims-file-life"
    ),
    EvalCase("Can I see online where my claim is at?", "claims-track"),
    EvalCase("How quickly are claims usually paid?", "claims-timeline"),
    EvalCase("I think the adjuster lowballed me, how do I dispute the amount?", "claims-denied"),
    EvalCase(
        "The car is a total loss and I still owe money on it, who gets the payout?",
        "claims-payment",
    ),
    EvalCase(
        "Is it worth claiming for a $600 repair with a $500 deductible?", "claims-rate-impact"
    ),
    EvalCase("I locked my keys in the car", "claims-roadside"),
    EvalCase("Someone hit my car and drove away", "claims-uninsured-driver"),
    EvalCase("What's the percentage deductible for wind on my home?", "deductible-home"),
    EvalCase("What is the most I'd ever pay in a year on my health plan?", "deductible-health"),
    EvalCase("Can I pay my bill over the phone?", "billing-payment-methods"),
    EvalCase("My payment bounced and now I got a notice, what happens?", "billing-missed-payment"),
    EvalCase("Do you give a discount if I put my home and car together?", "billing-lower-premium"),
    EvalCase("What does full coverage on a car mean?", "coverage-auto-types"),
    EvalCase("My sewer backed up into the basement, is that covered?", "coverage-home-water"),
    EvalCase(
        "Does my homeowners insurance cover my detached garage and fence?", "coverage-home-what"
    ),
    EvalCase(
        "My dog bit the neighbour's kid, will my insurance handle it?", "coverage-home-liability"
    ),
    EvalCase("Is my stuff covered while I'm living in a college dorm?", "coverage-property-away"),
    EvalCase("How do I name my wife as the beneficiary?", "coverage-life-beneficiary"),
    EvalCase("Can I cash in my life insurance policy?", "coverage-life-cash-value"),
    EvalCase("Do I need a referral to see a dermatologist?", "coverage-health-preauth"),
    EvalCase(
        "My medication is not on the formulary, what can I do?", "coverage-health-prescriptions"
    ),
    EvalCase(
        "I lost my job, can I get health coverage outside open enrollment?",
        "coverage-health-enrollment",
    ),
    EvalCase(
        "I traded in my old car for a new one, what do I do with my policy?", "policy-add-vehicle"
    ),
    EvalCase("My daughter has a learner's permit, do I need to add her?", "policy-add-driver"),
    EvalCase("How do I update my phone number?", "policy-update-info"),
    EvalCase("I want to add water backup coverage to my home policy", "policy-change-coverage"),
    EvalCase("I need a copy of my declarations page", "documents-policy"),
    EvalCase("How do I add my landlord as an interested party?", "documents-lender"),
    EvalCase("Can I talk to my agent directly?", "contact-agent"),
    EvalCase("I can't sign in to the app", "account-login"),
    EvalCase(
        "Will it cost me anything?",
        "coverage-health-preventive",
        (user("Do I need to pay for my kid's vaccines?"), cora("coverage-health-preventive")),
    ),
    EvalCase(
        "What about my laptop?",
        "coverage-property-away",
        (user("My bike got stolen from the train station"), cora("coverage-property-away")),
    ),
    EvalCase(
        "How do I appeal it?",
        "claims-denied",
        (user("My health claim got denied"), cora("claims-denied")),
    ),
    EvalCase(
        "Can I do it online?",
        "billing-payment-methods",
        (user("How do I pay my premium?"), cora("billing-payment-methods")),
    ),
    EvalCase("Who is the president of the United States?", FALLBACK),
    EvalCase("Can you help me with my math homework?", FALLBACK),
    EvalCase("Recommend a movie for tonight", FALLBACK),
    EvalCase("What's the best programming language?", FALLBACK),
    EvalCase(
        "Tell me a story about dragons",
        FALLBACK,
        (user("How do I file a home claim?"), cora("claims-file-home")),
    ),
    EvalCase("Hi Cora!", "greeting"),
    EvalCase("Thank you very much", "thanks"),
    EvalCase("See you later", "goodbye"),
)
