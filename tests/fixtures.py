"""Small hand-written exports in each vendor's real format (values chosen for hand sums)."""

FITBIT_DAILY = """\
Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,VeryActiveDistance,ModeratelyActiveDistance,LightActiveDistance,SedentaryActiveDistance,VeryActiveMinutes,FairlyActiveMinutes,LightlyActiveMinutes,SedentaryMinutes,Calories
111,3/1/2026,10000,7.5,7.5,0,1,1,5.5,0,20,10,200,700,2100
111,3/2/2026,6000,4.5,4.5,0,0,0.5,4,0,0,10,150,800,1900
111,3/3/2026,0,0,0,0,0,0,0,0,0,0,0,1440,1500
111,3/4/2026,8000,6,6,0,0.5,0.5,5,0,5,5,180,760,2000
"""

FITBIT_HOURLY = """\
Id,ActivityHour,StepTotal
111,3/1/2026 12:00:00 AM,0
111,3/1/2026 1:00:00 PM,1200
"""

FITBIT_MINUTE = """\
Id,ActivityMinute,Steps
111,3/1/2026 1:00:00 PM,80
111,3/1/2026 1:01:00 PM,95
"""

FITBIT_SLEEP = """\
Id,SleepDay,TotalSleepRecords,TotalMinutesAsleep,TotalTimeInBed
111,3/1/2026 12:00:00 AM,1,400,430
111,3/1/2026 12:00:00 AM,1,400,430
"""

FITBIT_WEIGHT = """\
Id,Date,WeightKg,WeightPounds,Fat,BMI,IsManualReport,LogId
111,3/1/2026 7:00:00 AM,80,176.37,,25.1,True,1772348400000
111,3/3/2026 11:59:59 PM,79,174.17,22,24.8,True,1772582399000
"""

CRONOMETER_SERVINGS = """\
Day,Time,Group,Food Name,Amount,Energy (kcal),Carbs (g),Fiber (g),Sugars (g),Added Sugars (g),Net Carbs (g),Fat (g),Protein (g),Category
2026-03-01,8:00 AM,"Breakfast","Oats, rolled","1.00 cup",300.00,54.00,8.00,1.00,0.00,46.00,5.00,10.00,"Cereal Grains and Pasta"
2026-03-01,12:30 PM,"Lunch","White Bread ""sliced"", toasted","2.00 slice",500.00,90.00,3.00,10.00,6.00,87.00,6.00,16.00,"Baked Products"
2026-03-01,7:00 PM,"Dinner","Custom soup","1.00 bowl",400.00,,,,,,12.00,20.00,""
2026-03-02,9:00 AM,"Breakfast","Apple","1.00 medium",100.00,25.00,4.00,19.00,0.00,21.00,0.30,0.50,"Fruits"
"""

CRONOMETER_SERVINGS_NO_TIME = """\
Day,Group,Food Name,Amount,Energy (kcal),Carbs (g),Fiber (g),Sugars (g),Fat (g),Protein (g),Category
2026-03-01,"Uncategorized","Eggs, Cooked","3.00 large",232.50,1.68,0.00,1.68,15.92,18.87,"Dairy and Egg Products"
"""

CRONOMETER_DAILY = """\
Date,Energy (kcal),Carbs (g),Fiber (g),Starch (g),Sugars (g),Net Carbs (g),Fat (g),Protein (g),Completed
2026-03-01,1200.00,144.00,11.00,50.00,11.00,133.00,23.00,46.00,false
2026-03-03,1500.00,150.00,15.00,60.00,30.00,135.00,50.00,80.00,true
"""

MFP_NUTRITION = """\
Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),Vitamin A,Vitamin C,Calcium,Iron,Note
2026-03-01,Breakfast,500.0,20.0,5.0,0.0,0.0,0.0,0.0,400.0,300.0,60.0,5.0,20.0,20.0,0.0,0.0,0.0,0.0,
2026-03-01,Dinner,700.0,25.0,9.0,0.0,0.0,0.0,0.0,250.0,0.1,80.0,5.0,10.0,40.0,0.0,0.0,0.5,2.5,
2026-03-02,Snacks,300.0,10.0,1.0,0.0,0.0,0.0,0.0,10.0,5.0,40.0,2.0,30.0,3.0,0.0,0.0,0.0,0.0,
"""

MFP_NUTRITION_TIME = """\
Date,Meal,Time,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),Vitamin A,Vitamin C,Calcium,Iron
2026-03-01,Breakfast,10:00 AM,40.0,0.6,0.0,0.0,0.0,0.0,0.0,0.0,0.0,5.8,0.0,0.0,1.8,0.0,0.0,0.0,0.0
2026-03-01,Breakfast,,123.0,8.1,0.7,0.0,0.0,0.0,0.0,0.0,0.0,7.9,0.0,5.1,2.5,0.0,0.0,0.0,0.0
"""

MFP_MEASUREMENT = """\
Date,Weight
2026-03-01,176.0
2026-03-05,175.0
"""

WITHINGS_WEIGHT = """\
Date,"Weight (kg)","Fat mass (kg)","Bone mass (kg)","Muscle mass (kg)","Hydration (kg)",Comments
"2026-03-03 07:10:00",80.00,20.00,,,,
"2026-03-01 07:05:00",81.00,,,,,"after holiday"
"""

WITHINGS_SLEEP = """\
from,to,"light (s)","deep (s)","rem (s)","awake (s)","wake up","Duration to sleep (s)"
2026-03-02T23:30:00+00:00,2026-03-03T07:00:00+00:00,14400,7200,3600,1800,1,600
"""
