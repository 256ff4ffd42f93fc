"""Every crisis pattern family with a message it must catch and a look-alike it must not.

A family is one entry of assistant.crisis_patterns.FAMILIES; its name is the rule
detect() reports. The caught message must be reported with that family's kind and
name (an earlier family that takes it over shows here first), and the family's own
phrases must match it. The look-alike must not be a crisis at all: it is rejected by
the family's wording, by an idiom, or by a context cue (a general, past or "what if"
question for a weak family, a thing rather than a person, an event that is over).
"""

from __future__ import annotations

import pytest

from assistant.crisis import CrisisSignal, _scrub_idioms, detect, normalize
from assistant.crisis_patterns import FAMILIES, Family

# family name: (a message it must catch, a look-alike it must not)
EXAMPLES: dict[str, tuple[str, str]] = {
    # --- suicidal thoughts and self-harm ---
    "kill_self": ("i want to kill myself", "i'm killing myself with all this overtime"),
    "feel_suicidal": ("i feel suicidal tonight", "i'm not suicidal, just tired of waiting for a bed"),
    "suicidal": ("sometimes suicide seems like the answer", "what are the warning signs of suicide"),
    "self_harm": ("having the urge to self harm again", "will the assessment ask about self harm history"),
    "going_to_die": ("my heart is racing and i feel like im going to die", "my phone is about to die, can you text me instead"),
    "want_die": ("i wanna die", "i want to die sober someday, of old age"),
    "want_die_2": ("i just want to go to sleep and never wake up", "i just want to go to sleep early tonight"),
    "wish_dead": ("i wish i was dead", "i wish i was there for her when she needed me"),
    "better_off": ("they would be better off without me", "my kids are better off with me sober"),
    "easier_gone": ("it would be easier if i wasnt here", "it would be easier for everyone if i could come in the evening"),
    "end_it": ("i want to end my life", "i want to end it with my dealer"),
    "take_life": ("i'm thinking about taking my own life", "trying to take my life back, where do i sign up"),
    "no_reason_live": ("there's no reason to live", "there's no reason to wait for monday, can i start today?"),
    "whats_the_point": ("whats the point of living", "what's the point of the intake call?"),
    "cant_go_on": ("i can't take it anymore", "i can't take the bus anymore, is there parking?"),
    "not_want_live": ("i don't want to live anymore", "i don't want to lose my kids"),
    "not_wake": ("hope i do not wake up", "i hope i wake up in time for my appointment"),
    "miss_me": ("nobody would miss me if i was gone", "no one would miss the meeting if i left early"),
    "burden": ("i'm a burden to everyone", "the paperwork is such a burden"),
    "goodbye": ("goodbye everyone. i'm sorry", "this is my goodbye for now, see you at group tomorrow"),
    "means": ("i took all my pills", "should i take all my pills in the morning or split them up"),
    "means_ready": ("i have the pills in my hand", "my meds are ready for pickup at the pharmacy"),
    "overdose_on_purpose": ("im gonna od tonight", "i'm worried i could overdose after detox, how do i stay safe"),
    "dont_care_die": ("i dont care if i overdose anymore", "i don't care if i gain weight in rehab"),
    "thoughts": ("thinking about ending it all", "i'm safe and not thinking about hurting myself, i just want to start therapy"),
    "dead_soon": ("i will be dead by tomorrow", "i'll be gone for the weekend, can we reschedule"),
    "give_up_life": ("im done with life", "i'm done with drinking for good"),
    "third_person": ("my brother is talking about ending it", "my brother is talking about ending his lease"),
    "third_person_2": ("i think my daughter is going to hurt herself", "my son finally forgave himself for the relapse"),
    "want_disappear": ("i want to disappear for good", "i want to disappear for a weekend at the beach"),
    "not_around": ("i'm not going to be around much longer", "i'm not going to be around on friday, can we move it"),
    "tonight_is_the_night": ("i have a plan and a date", "i have a plan to taper off my methadone"),
    "goodbye_note": ("i wrote a note", "my counselor told me to write a goodbye letter to my addiction"),
    "dying_way_out": ("i should just die", "i'm ending it with my boyfriend, he still uses"),
    "unsafe_alone": ("i don't trust myself to be alone tonight", "i don't trust my roommate with my meds"),
    "recent_attempt": ("my sister tried to end her life yesterday and now she says she'll try again",
                       "my sister attempted suicide in 2015 and is doing well now, can she visit me?"),
    "euphemisms": ("i'm checking out for good", "i'm checking out of the hotel for good"),
    "more_goodbyes": ("i love you, goodbye", "i love you mom, see you sunday"),
    "means_and_places": ("i've been looking up ways to die", "we fixed the roof at the sober house"),
    "self_harm_more": ("burned my arm again to feel something", "i burned my arm on the stove at work"),
    "third_person_more": ("my roommate said he wants to end his life tonight", "my roommate wants to end his lease early"),
    "spanish": ("quiero morir", "quiero dejar de tomar"),
    "never_wake": ("my teen said she wishes she could go to sleep forever", "i can't sleep, i wake up every night at 3"),
    "notes_and_goodbyes": ("i've written my goodbye note", "i take notes in group for my counselor"),
    "not_around_any": ("soon i won't be anyone's problem", "i won't be around this weekend, my kids are visiting"),
    "giving_away": ("my brother has been giving away all his things and says he won't need them soon",
                    "i'm giving away my old clothes to the shelter"),
    "plan_date": ("i picked a date. friday is the day", "i picked a date to quit drinking"),
    "hopeless": ("no point going on", "nothing matters more than my recovery"),
    "self_harm_acts": ("i started cutting again", "i started cutting back on drinking"),
    "last_use": ("honestly hoping the next shot is the one that takes me out", "the next dose is at 8 am"),
    "tried_again": ("i tried last night and it didn't work. next time it will",
                    "i tried calling yesterday and it did not work, is the line down?"),
    "wants_to_die": ("my son told me he wants to die", "why does the form ask if i've ever wanted to die"),
    "ending_it": ("i'm not safe right now", "i don't feel safe driving to the clinic in the snow"),
    # --- overdose happening now ---
    "not_breathing": ("he isnt breathing", "what should i do if someone stops breathing"),
    "used_hard_to_breathe": ("i used and now i can barely breathe", "does suboxone make it hard to breathe?"),
    "hard_to_breathe": ("i cant breathe", "i can't breathe, this meme my counselor sent is too funny"),
    "no_pulse": ("i can't find a pulse", "how do i find a pulse on my wrist"),
    "wont_wake": ("he won't wake up", "my tablet won't wake up, can i do the intake by phone"),
    "not_responding": ("my friend is not moving", "the app froze and won't respond"),
    "blue": ("my dad is blue", "my lips are blue from the slushie lol"),
    "gurgling": ("he's gurgling", "is gurgling a sign of overdose"),
    "pinpoint": ("he has pinpoint pupils", "what are pinpoint pupils a sign of"),
    "took_too_much": ("i took too much", "would narcan help if someone took too much xanax"),
    "overdosing_now": ("he od'd", "how do i know if someone is overdosing"),
    "overdose_word": ("found a guy overdosing in the park", "overdosed on coffee lol"),
    "nodding": ("hes been nodding out for an hour", "what does nodding out mean"),
    "need_narcan": ("where is the narcan, hurry", "can i get narcan from you"),
    "narcan_not_working": ("narcan isn't working", "is narcan still working if it expired?"),
    "slow_breathing": ("she's breathing really slow and weird", "my breathing feels better since i quit smoking"),
    "cant_stay_awake": ("i used fent and i cant stay awake", "i can't keep my eyes off my phone lol"),
    "double_dose": ("i took a double dose of my methadone", "the doctor said to split my dose in two"),
    "narcan_wearing_off": ("the narcan is wearing off, he's going back under", "how long before narcan wears off?"),
    "unresponsive": ("i keep passing out", "i keep passing my drug tests"),
    "overdose_now_words": ("overdose help", "nobody is overdosing right now, just want to be prepared"),
    "benzo_alcohol_now": ("took 4 xanax and then drank most of a fifth, everything feels really far away",
                          "is it safe to take xanax if i drank last night?"),
    "child_ingestion_more": ("my toddler swallowed my suboxone strip",
                             "how do i store my meds so my toddler can't get into them"),
    "used_after_detox": ("took too many klonopin and i feel like im going under",
                         "took too many days off work during detox, will i lose my job?"),
    "dosing_mistake": ("i double dosed by accident", "my pulse is 95 after coffee"),
    "down_now": ("he's out cold", "my boss is out cold on this deal"),
    "narcan_again": ("we gave two narcans and he is still out", "do you give two narcan kits to families?"),
    "child_ingestion": ("my 3 year old ate one of my pills", "my 3 year old ate all my chips"),
    "too_much_now": ("took too much, pls help", "this intake took too much time"),
    # --- medical emergencies ---
    "seizure_word": ("seizure", "i'm having a seizure over this price lol"),
    "heart_now": ("my heart is racing and i'm so dizzy", "my heart is racing with excitement about starting treatment"),
    "pass_out": ("i'm so dizzy i can't stand", "i'm so busy i can't stand it"),
    "chest_now": ("my husband is clutching his chest and sweating", "my left arm is sore from the vaccine"),
    "dts_more": ("im seeing bugs on the walls and im shaking", "are there bugs in the rooms at the sober house?"),
    "collapse": ("i passed out and just woke up on the floor", "i woke up on the couch after group, so tired"),
    "swelling": ("my face and lips are swelling up", "my ankles are swollen from standing all day"),
    "precipitated": ("i took my first suboxone and now i'm in the worst withdrawal of my life",
                     "my first dose of bupe went fine"),
    "chest_tight": ("crushing chest pain and my jaw hurts", "my chest feels tight when i'm anxious, is that withdrawal?"),
    "fever_confusion": ("i have a fever of 104 and im shaking", "i had a fever last week but it's gone"),
    "vomiting": ("i cant keep water down for over a day", "i can't stop eating sugar since i quit drinking"),
    "pregnant_now": ("im pregnant and in withdrawal and im bleeding", "i'm pregnant, can i still get methadone?"),
    "seizure_signs": ("he fell down and started shaking", "my hands are shaking so much i can't write"),
    "breathing_more": ("i cant catch my breath", "i ran to the bus and had to catch my breath"),
    "bleeding_gi": ("im throwing up blood", "i'm throwing up after every meal since detox"),
    "dehydration": ("i have not kept water down since yesterday", "i have not kept a journal since rehab"),
    "dts_signs_more": ("i'm shaking bad and have a high fever, seeing things",
                       "i get the shakes in the morning before my first drink"),
    "pregnancy_more": ("my water just broke", "the water heater broke at the sober house"),
    "heart_more": ("heart racing so fast i keep almost blacking out", "i almost blacked out at the concert years ago"),
    "allergic_more": ("hives all over and my face is puffing up", "i had hives once as a kid, is naltrexone safe"),
    "precipitated_more": ("took naltrexone and now i'm shaking and puking, it came on all at once",
                          "will naltrexone make me shaky if i start too soon?"),
    "seizing": ("he's seizing", "seize the day, one week sober!"),
    "seizure_now": ("i'm having a seizure", "can i have a seizure from quitting xanax?"),
    "chest_pain": ("i have chest pain", "does suboxone cause chest pain"),
    "cant_breathe": ("she can't catch her breath and she's gasping", "can vivitrol make you short of breath"),
    "hallucinating": ("i'm seeing things that arent there", "is hallucinating a symptom of withdrawal"),
    "confused_shaking": ("im confused and cant think straight", "why do i feel confused in early recovery?"),
    "dts": ("i think he has the dts", "how long do dts last"),
    "dts_signs": ("i'm shaking and sweating and my skin is burning", "i'm shaking with excitement, first sober birthday!"),
    "fainted": ("i fainted", "i fainted once during a detox years ago, is that common"),
    "heart": ("i think im having a heart attack", "i nearly had a heart attack when i saw the bill lol"),
    "fluids": ("my husbands been throwing up for 2 days and he's so weak", "is throwing up for a day normal in withdrawal?"),
    "pregnant_bleeding": ("pregnant and withdrawing, baby hasn't moved since this morning",
                          "pregnant and moving into the sober house next week"),
    "allergic": ("im having an allergic reaction to my medication", "can vivitrol cause an allergic reaction"),
    "disulfiram_either_order": ("i drank on antabuse and im flushed and my heart is pounding",
                                "can i drink wine while on antabuse?"),
    "disulfiram_reaction": ("i'm on antabuse and had a beer and now i'm all red",
                            "what happens if you drink alcohol on antabuse? does it make you red"),
    "medical_emergency": ("medical emergency", "what counts as a medical emergency during home detox?"),
    "emergency": ("call 911 now", "my phone is dying, can you call me back in an hour?"),
    # --- indirect goodbyes, plans, and present emergencies ---
    "not_planning_to_be_here": ("not planning on being around after tonight", "i'm not planning to drink at the wedding"),
    "will_be_dead": ("i'll be dead anyway", "i'll be dead tired after the night shift"),
    "wont_be_around": ("i won't be around", "i won't be around on monday, can we reschedule"),
    "giving_away#2": ("gave my cat to my neighbor and i feel weirdly calm",
                      "i gave my old phone to my sister and i feel good about it"),
    "still_alive": ("i'm disappointed i'm still alive", "i'm amazed i'm still sober after a year"),
    "before_its_over": ("i hope nobody finds me", "nobody can find my file, can you check"),
    "on_purpose": ("took a whole bunch of my meds on purpose", "i skipped the bar on purpose"),
    "ending_it_tonight": ("time to let go for good", "time to let go of my old friends who use"),
    "better_without_me": ("done being a disappointment", "done being a doormat, i'm setting boundaries"),
    "places": ("im going to jump tonight", "i'm going to jump on the intake call at 3"),
    "afraid_of_self": ("i'm scared of what i'm going to do to myself", "i'm scared of what i'm going to say at group"),
    "only_way": ("i want out of life", "i want out of this town"),
    "insurance_and_ready": ("its been 2 yrs on my life insurance policy so my family would be ok now",
                            "does my life insurance cover rehab for my family?"),
    "hotline_for_me": ("whats the suicide hotline number. its for me",
                       "can you text me the crisis line number for my wallet card"),
    "goodbye_messages": ("he texted me goodbye and his phone is off now", "he texted me good night and went to bed"),
    "weapon_and_done": ("he's sitting in the truck with his rifle saying he's done",
                        "my dad goes hunting with his rifle every fall"),
    "spanish_more": ("mi hijo se va a matar", "mi hijo se va a mudar"),
    "took_too_much_now": ("took 3 more percs than usual and its hard to stay awake", "took 3 more days off work than usual"),
    "tolerance_lost": ("after 3 weeks clean i used and now i'm so heavy", "after 3 weeks clean i feel so happy"),
    "something_wrong_after_use": ("just shot up and somethings wrong, vision going dark",
                                  "just smoked a cigarette and my cough is better"),
    "narcan_now": ("i need to give him the narcan right now", "do you have narcan at the front desk?"),
    "out_for_minutes": ("shes been out for 15 minutes after using", "she went out for 15 minutes to get coffee"),
    "pinpoint_and_sleepy": ("her pupils are like pinpoints and she keeps falling asleep",
                            "her pupils are like pinpoints in bright light, is that normal?"),
    "dts_now": ("dad stopped drinking monday, now hes shaking and cant stop and says there are spiders",
                "dad stopped drinking monday and he's shaking a bit, is that normal"),
    "stroke": ("one side of my face is drooping", "one side of my face is sunburned"),
    "seizure_again": ("i think im about to have a seizure", "can i have a seizure from quitting xanax cold turkey?"),
    "throat_tight": ("got stung by a bee and my throat is getting tight",
                     "got stung by a bee last summer, my arm was swollen for a day"),
    "infection_fever": ("fever, really stiff neck, and i cant think straight", "my neck is stiff from sleeping on the couch"),
    "chest_pressure": ("feels like an elephant on my chest", "there's a lot of pressure on my shoulders at work"),
    # --- overdose signs, drug named or not ---
    "no_response": ("i can't get my boyfriend to wake up", "he's not responding to my texts"),
    "down_and_silent": ("my partner dropped to the floor after using and now won't answer me",
                        "he fell asleep on the couch after group and won't stop snoring lol"),
    "limp": ("she snorted a perc and now she's limp", "my dad walks with a limp since the accident"),
    "breathing_signs": ("i cant tell if hes breathing", "i can't tell if he's lying about using"),
    "nodding_hard": ("he's nodding hard on the couch", "i'm nodding along in group but not listening"),
    "used_and_collapsed": ("he smoked a blue and collapsed in the kitchen", "does smoking a blue make you collapse?"),
    "fading_after_use": ("i used and now im fading in and out", "the bruises are fading since i stopped using"),
}


def _keyed_families() -> list[tuple[str, Family]]:
    """(key, family) in order; a name used twice gets "#2" on its second family."""
    keyed, seen = [], set()
    for family in FAMILIES:
        keyed.append((f"{family.name}#2" if family.name in seen else family.name, family))
        seen.add(family.name)
    return keyed


KEYED = _keyed_families()


def _matches(family: Family, text: str) -> bool:
    normalized = normalize(text)
    return bool(family.pattern.search(_scrub_idioms(normalized, normalized)))


def test_every_family_has_an_example_and_a_look_alike():
    assert sorted(key for key, _ in KEYED) == sorted(EXAMPLES)


@pytest.mark.parametrize(("key", "family"), KEYED, ids=[key for key, _ in KEYED])
def test_family_catches_its_example(key, family):
    example = EXAMPLES[key][0]
    assert detect(example) == CrisisSignal(family.kind, family.name)
    assert _matches(family, example)  # this family, not another of the same name


@pytest.mark.parametrize(("key", "family"), KEYED, ids=[key for key, _ in KEYED])
def test_family_look_alike_is_not_a_crisis(key, family):
    assert detect(EXAMPLES[key][1]) is None


# An idiom is removed before matching, so a crisis that only looks like it must still fire.
IDIOM_EXAMPLES = [
    # (removed as an idiom, a crisis in the same words, its kind)
    ("this detox is killing me", "i am going to kill myself", "suicide"),  # figures of speech
    ("i nearly had a heart attack when i saw the bill", "i think i am having a heart attack", "medical"),  # hyperbole
    ("nobody is overdosing right now, just want to be prepared", "he is overdosing right now", "overdose"),  # denials
    ("do you have a suicide prevention group", "i am suicidal", "suicide"),  # prevention talk
    ("if my son ever overdoses what do i do", "my son overdosed what do i do", "overdose"),  # hypotheticals
    ("my phone won't wake up", "my brother won't wake up", "overdose"),  # things, not people
]


@pytest.mark.parametrize(("idiom", "crisis", "kind"), IDIOM_EXAMPLES)
def test_idioms_are_removed_but_not_the_crisis_they_resemble(idiom, crisis, kind):
    assert detect(idiom) is None
    signal = detect(crisis)
    assert signal is not None and signal.kind == kind
