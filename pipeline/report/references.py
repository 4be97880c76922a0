"""The sources behind what the report shows, for its references list.

Each entry is taken from reference/science.md, the project's evidence notes, and is worded as
it is written there: nothing here is added from elsewhere. `verified` is True where science.md
marks the source [V] (checked against the abstract, the paper or a primary page) and False
where it marks it [M] (from memory, to be checked before it is quoted). Page numbers or volumes
that science.md marks [M] are left out of otherwise verified citations.

The sources are reference points and background for behaviours and their direction. spectrum
does not measure insulin sensitivity, and none of these sources is used to classify a person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reference:
    """One source: what it is, and what spectrum uses it for."""

    topic: str
    citation: str
    used_for: str
    verified: bool


REFERENCES: tuple[Reference, ...] = (
    # Food
    Reference(
        topic="Carbohydrate to fibre ratio",
        citation=(
            "Mozaffarian RS, Lee RM, Kennedy MA, Ludwig DS, Mozaffarian D, Gortmaker SL. "
            "Identifying whole grain foods: a comparison of different approaches for selecting "
            "more healthful whole grain products. Public Health Nutrition 2013. "
            "doi:10.1017/S1368980012005447"
        ),
        used_for=(
            "The 10:1 carbohydrate-to-fibre rule of thumb, used to count carbohydrate from "
            "whole foods and to flag refined carbohydrate items."
        ),
        verified=True,
    ),
    Reference(
        topic="Free sugars",
        citation=(
            "World Health Organization. Guideline: Sugars intake for adults and children. "
            "2015. ISBN 978 92 4 154902 8"
        ),
        used_for="The under 10% of energy reference point for free and added sugars.",
        verified=True,
    ),
    Reference(
        topic="Fibre per 1,000 kcal",
        citation=(
            "Institute of Medicine. Dietary Reference Intakes (2002/2005): Adequate Intake for "
            "fibre of 14 g per 1,000 kcal, as used by the Dietary Guidelines for Americans "
            "2020–2025"
        ),
        used_for="The reference point of 14 g of fibre per 1,000 kcal eaten.",
        verified=False,
    ),
    Reference(
        topic="Ultra-processed foods (NOVA)",
        citation=(
            "Monteiro CA, Cannon G, Levy RB, et al. Ultra-processed foods: what they are and "
            "how to identify them. Public Health Nutrition 2019. doi:10.1017/S1368980018003762"
        ),
        used_for=(
            "The NOVA groups and the name and ingredient markers used to class logged foods as "
            "ultra-processed."
        ),
        verified=True,
    ),
    Reference(
        topic="Ultra-processed diet trial",
        citation=(
            "Hall KD, Ayuketah A, Brychta R, et al. Ultra-processed diets cause excess calorie "
            "intake and weight gain: an inpatient randomized controlled trial of ad libitum food "
            "intake. Cell Metabolism 2019;30(1):67–77.e3. doi:10.1016/j.cmet.2019.05.008"
        ),
        used_for=(
            "Why the share of energy from ultra-processed foods is tracked: in a controlled "
            "trial people ate more and gained weight on an ultra-processed diet."
        ),
        verified=True,
    ),
    # Activity
    Reference(
        topic="Steps per day",
        citation=(
            "Paluch AE, Bajpai S, Bassett DR, et al. (Steps for Health Collaborative). Daily "
            "steps and all-cause mortality: a meta-analysis of 15 international cohorts. Lancet "
            "Public Health 2022;7(3):e219–e228. doi:10.1016/S2468-2667(21)00302-9"
        ),
        used_for=(
            "Context for daily steps: more steps went with longer life, levelling off around "
            "6,000–8,000 a day at 60 and over and 8,000–10,000 under 60."
        ),
        verified=True,
    ),
    Reference(
        topic="Days with 8,000 steps",
        citation=(
            "Saint-Maurice PF, Troiano RP, Bassett DR Jr, et al. Association of daily step count "
            "and step intensity with mortality among US adults. JAMA 2020;323(12):1151–1160"
        ),
        used_for=(
            "Support for 8,000 steps as the mark in the share of days with at least 8,000 steps."
        ),
        verified=True,
    ),
    Reference(
        topic="Active minutes per week",
        citation=(
            "Bull FC, Al-Ansari SS, Biddle S, et al. World Health Organization 2020 guidelines "
            "on physical activity and sedentary behaviour. Br J Sports Med 2020;54:1451–1462. "
            "doi:10.1136/bjsports-2020-102955"
        ),
        used_for=(
            "The 150 minutes per week reference point for moderate-to-vigorous activity, and the "
            "advice to sit less."
        ),
        verified=True,
    ),
    Reference(
        topic="Breaking up sitting",
        citation=(
            "Dunstan DW, Kingwell BA, Larsen R, et al. Breaking up prolonged sitting reduces "
            "postprandial glucose and insulin responses. Diabetes Care 2012;35(5):976–983. "
            "doi:10.2337/dc11-1931"
        ),
        used_for=(
            "Why long unbroken stretches of sitting are counted: short walking breaks every 20 "
            "minutes lowered the rise in blood sugar after a drink in a lab trial."
        ),
        verified=True,
    ),
    Reference(
        topic="Walking breaks after meals",
        citation=(
            "Buffey AJ, Herring MP, Langley CK, Donnelly AE, Carson BP. Sports Med "
            "2022;52:1765–1787"
        ),
        used_for=(
            "Evidence from pooled trials that light walking after a meal lowers the rise in "
            "blood sugar more than standing or sitting does."
        ),
        verified=True,
    ),
    Reference(
        topic="Walking after meals",
        citation="Reynolds AN, Mann JI, Williams S, Venn BJ. Diabetologia 2016;59:2572–2578",
        used_for=(
            "The model for the post-meal walk measure: a walk of about 10 minutes soon after "
            "each main meal."
        ),
        verified=True,
    ),
    # Body
    Reference(
        topic="Waist circumference",
        citation=(
            "Ross R, Neeland IJ, Yamashita S, et al. Waist circumference as a vital sign in "
            "clinical practice: a Consensus Statement from the IAS and ICCR Working Group on "
            "Visceral Obesity. Nat Rev Endocrinol 2020;16:177–189. "
            "doi:10.1038/s41574-019-0310-7"
        ),
        used_for=(
            "Why the change in waist measurement over time is shown alongside weight, as a "
            "trend rather than against a cut-off."
        ),
        verified=True,
    ),
    Reference(
        topic="Weight trend smoothing",
        citation="Walker J. The Hacker's Diet. fourmilab.ch/hackdiet",
        used_for=(
            "The smoothed weight trend, in which each weigh-in moves the trend a tenth of the "
            "way towards it."
        ),
        verified=True,
    ),
    Reference(
        topic="Waist slope",
        citation=(
            "Sen PK. Estimates of the regression coefficient based on Kendall's tau. Journal of "
            "the American Statistical Association 1968"
        ),
        used_for=(
            "The Theil–Sen slope behind the waist change per 4 weeks, which a single odd "
            "reading cannot pull far."
        ),
        verified=True,
    ),
    # Data and statistics
    Reference(
        topic="Valid activity days",
        citation="Troiano RP, et al. Med Sci Sports Exerc 2008;40:181–188 (NHANES)",
        used_for="The 10 hours (600 minutes) of wear that make an activity day count.",
        verified=False,
    ),
    Reference(
        topic="Wear-time rules",
        citation="Tudor-Locke C, Camhi SM, Troiano RP. Prev Chronic Dis 2012;9:E113",
        used_for=(
            "Support for a minimum wear time to decide which activity days count, the usual "
            "practice in NHANES accelerometer studies."
        ),
        verified=True,
    ),
    Reference(
        topic="Comparing two periods",
        citation="Künsch 1989. Annals of Statistics (moving-block bootstrap)",
        used_for=(
            "Why the direction interval takes whole weeks as its unit: neighbouring days are "
            "alike, so an interval built from single days comes out too narrow."
        ),
        verified=False,
    ),
    # Framing
    Reference(
        topic="General wellness framing",
        citation=(
            "U.S. Food and Drug Administration. General Wellness: Policy for Low Risk Devices. "
            "Guidance, final July 29, 2016; revised final guidance January 6, 2026. See also "
            "section 520(o)(1)(B) of the FD&C Act"
        ),
        used_for=(
            "Why the report describes behaviours and their direction against reference points, "
            "and never classes a person or puts medical cut-offs on their data."
        ),
        verified=True,
    ),
)
